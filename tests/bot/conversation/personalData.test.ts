import { redactPersonalData } from '../../../bot/conversation/personalData';

describe('redactPersonalData', () => {
  it.each([
    ['write to dana.cohen@example.co.il please', 'write to [email] please'],
    ['card 4111 1111 1111 1111 was charged twice', 'card [card] was charged twice'],
    ['card 4111-1111-1111-1111', 'card [card]'],
    ['call me at +40 721 123 456', 'call me at [phone]'],
    ['הטלפון שלי 054-1234567', 'הטלפון שלי [phone]'],
  ])('masks %j', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });

  it.each(['my order 12345 arrived on 2026-11-23', 'When are you open?', 'room 1234', ''])(
    'leaves %j alone',
    (input) => {
      expect(redactPersonalData(input)).toBe(input);
    },
  );

  it('still masks a long digit run that fails the card check, as a phone number', () => {
    expect(redactPersonalData('ref 4111 1111 1111 1112')).toBe('ref [phone]');
  });
});

import { activityBodyProblem } from '../../../bot/adapters/activityBody';

const valid = {
  type: 'message',
  channelId: 'emulator',
  serviceUrl: 'http://127.0.0.1:9999',
  conversation: { id: 'c1' },
  from: { id: 'u1' },
  recipient: { id: 'bot' },
  text: 'hi',
};

describe('activityBodyProblem', () => {
  it('accepts a well-formed activity, extra fields included', () => {
    expect(activityBodyProblem({ ...valid, channelData: { x: 1 } })).toBeNull();
  });

  it.each([
    [null, 'body'],
    [[], 'body'],
    ['text', 'body'],
    [{ ...valid, type: '' }, 'type'],
    [{ ...valid, serviceUrl: 'not a url' }, 'serviceUrl'],
    [{ ...valid, conversation: {} }, 'conversation.id'],
    [{ ...valid, from: undefined }, 'from'],
    [{ ...valid, text: 42 }, 'text'],
  ])('names the problem in %j', (body, field) => {
    expect(activityBodyProblem(body)).toContain(field);
  });
});

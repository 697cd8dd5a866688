import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAppHarness, type AppHarness } from '../../helpers/appHarness';
import { FakeConnector } from '../../helpers/fakeConnector';

describe('a redelivered activity (real servers, CloudAdapter, one SQLite file)', () => {
  const connector = new FakeConnector();
  let dir: string;
  let first: AppHarness;
  let second: AppHarness;

  const activity = (conversationId: string, id: string, text = 'What are your opening hours?') => ({
    type: 'message',
    id,
    text,
    channelId: 'emulator',
    serviceUrl: connector.url,
    conversation: { id: conversationId },
    from: { id: `user-${conversationId}`, name: 'Customer' },
    recipient: { id: 'askdesk', name: 'Askdesk' },
    locale: 'en-US',
  });
  const deliver = (h: AppHarness, body: unknown) => h.call('POST', '/api/messages', { body });
  const repliesTo = (conversationId: string) => connector.messagesFor(conversationId).length;
  const customerLines = async (h: AppHarness, conversationId: string) =>
    h.app
      .db('handoff_transcript_lines')
      .where({ conversation_id: conversationId, role: 'customer' })
      .count({ n: '*' })
      .then((rows) => Number(rows[0]!.n));

  beforeAll(async () => {
    await connector.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askdesk-redelivery-'));
    const env = { SQLITE_FILE: path.join(dir, 'shared.sqlite') };
    first = await startAppHarness({ env });
    second = await startAppHarness({ env });
  }, 90_000);
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await connector.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers the same activity id once, however often it arrives', async () => {
    expect((await deliver(first, activity('once', 'a-1'))).status).toBe(200);
    const replies = repliesTo('once');
    expect(replies).toBeGreaterThan(0);
    expect((await deliver(first, activity('once', 'a-1'))).status).toBe(200);
    expect((await deliver(first, activity('once', 'a-1'))).status).toBe(200);
    expect(repliesTo('once')).toBe(replies);
  });

  it('answers once when the redelivery reaches the other instance at the same time', async () => {
    const body = activity('racing', 'a-2');
    const statuses = await Promise.all([deliver(first, body), deliver(second, body)]);
    expect(statuses.map((s) => s.status)).toEqual([200, 200]);
    const control = activity('control', 'a-3');
    await deliver(first, control);
    expect(repliesTo('racing')).toBe(repliesTo('control'));
  });

  it('still answers a new activity id in the same conversation, and the same id in another', async () => {
    await deliver(first, activity('twice', 'b-1'));
    const afterOne = repliesTo('twice');
    await deliver(second, activity('twice', 'b-2', 'And on Sunday?'));
    expect(repliesTo('twice')).toBeGreaterThan(afterOne);
    await deliver(second, activity('elsewhere', 'b-1'));
    expect(repliesTo('elsewhere')).toBeGreaterThan(0);
  });

  it('records a redelivered message in an open ticket once', async () => {
    const conversationId = 'ticket-redelivery';
    await deliver(first, activity(conversationId, 't-1', 'I want to talk to a human'));
    await connector.waitFor(conversationId, (a) => /queue|agent|human/i.test(a.text ?? ''));
    const before = await customerLines(first, conversationId);
    const message = activity(conversationId, 't-2', 'my order 1234 never arrived');
    await Promise.all([deliver(first, message), deliver(second, message)]);
    await deliver(first, message);
    expect(await customerLines(first, conversationId)).toBe(before + 1);
  });
});

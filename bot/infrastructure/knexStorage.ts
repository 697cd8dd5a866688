import type { Storage, StoreItems } from 'botbuilder';
import type { Knex } from 'knex';

interface StateRow {
  key: string;
  value: string;
  etag: number;
}

/**
 * botbuilder `Storage` on our SQL database, so conversation state survives restarts and is
 * shared by every instance. Writes are last-writer-wins: two turns of one conversation racing
 * is rarer than a restart, and failing a customer's turn over it would be worse than either
 * turn's state winning.
 */
export class KnexStorage implements Storage {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const rows = await this.db<StateRow>('bot_state').whereIn('key', keys);
    const items: StoreItems = {};
    for (const row of rows) {
      items[row.key] = { ...(JSON.parse(row.value) as object), eTag: String(row.etag) };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const updatedAt = this.now().toISOString();
    await this.db.transaction(async (trx) => {
      for (const [key, item] of Object.entries(changes)) {
        const { eTag: _eTag, ...rest } = item as Record<string, unknown>;
        const value = JSON.stringify(rest);
        const updated = await trx('bot_state')
          .where({ key })
          .update({ value, updated_at: updatedAt, etag: trx.raw('etag + 1') });
        if (updated === 0) {
          await trx('bot_state')
            .insert({ key, value, etag: 1, updated_at: updatedAt })
            .onConflict('key')
            .merge(['value', 'updated_at']);
        }
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.db('bot_state').whereIn('key', keys).delete();
  }

  /** Deletes state not written since `cutoff` (retention); returns the number of rows deleted. */
  async purgeBefore(cutoff: Date): Promise<number> {
    return this.db('bot_state').where('updated_at', '<', cutoff.toISOString()).delete();
  }
}

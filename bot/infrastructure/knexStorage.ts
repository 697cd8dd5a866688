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

  /** One statement for all keys: an upsert that bumps the etag of rows already there. */
  async write(changes: StoreItems): Promise<void> {
    const updatedAt = this.now().toISOString();
    const rows = Object.entries(changes).map(([key, item]) => {
      const { eTag: _eTag, ...rest } = item as Record<string, unknown>;
      return { key, value: JSON.stringify(rest), etag: 1, updated_at: updatedAt };
    });
    if (rows.length === 0) return;
    await this.db('bot_state')
      .insert(rows)
      .onConflict('key')
      .merge({
        value: this.db.raw('excluded.value'),
        updated_at: this.db.raw('excluded.updated_at'),
        etag: this.db.raw('bot_state.etag + 1'),
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

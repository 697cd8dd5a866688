/** The typed arrays an arena can hold. */
type Numbers = Uint32Array | Int32Array | Float64Array;

/**
 * Many small typed arrays (the n-gram ids of each phrasing, the weights of each entry of the
 * discriminative model) as views into shared chunks.
 * A typed array of its own costs about 470 bytes besides its data (the heap objects, an
 * off-heap backing store and its bookkeeping): at 25,000 entries the 125,000 phrasings paid
 * more for that than for their ids. A view into a chunk costs only its heap object.
 *
 * Freed views stay in their chunk (a chunk lives while any of its views does), so the arena
 * counts them: when more ids are garbage than live, `needsCompaction` asks the owner to
 * `reset` and `copy` every live view into fresh chunks. That is O(live ids), once per about
 * "as many ids replaced as the index holds", so live updates stay O(entry) amortised.
 */
export class TypedArena<T extends Numbers> {
  private chunk: T;
  private used = 0;
  /** Ids in views handed out and not released. */
  private live = 0;
  /** Ids in released views that still occupy a chunk. */
  private garbage = 0;

  /**
   * @param make a zero-filled array of the arena's type and the given length
   * @param chunkSize values per chunk (default 65,536)
   */
  constructor(
    private readonly make: (length: number) => T,
    private readonly chunkSize = 1 << 16,
  ) {
    this.chunk = make(chunkSize);
  }

  /** A zero-filled view of `length` ids; arrays over 1/8 of a chunk get their own buffer. */
  allocate(length: number): T {
    this.live += length;
    if (length > this.chunkSize / 8) return this.make(length);
    if (this.used + length > this.chunk.length) {
      this.chunk = this.make(this.chunkSize);
      this.used = 0;
    }
    const view = this.chunk.subarray(this.used, this.used + length) as T;
    this.used += length;
    return view;
  }

  /** A copy of `ids` in the arena. */
  copy(values: T): T {
    const view = this.allocate(values.length);
    view.set(values);
    return view;
  }

  /** Marks a view of `length` ids as no longer used. */
  release(length: number): void {
    this.live -= length;
    this.garbage += length;
  }

  /** More garbage than live ids (and more than a chunk of it): time to copy the live ones. */
  get needsCompaction(): boolean {
    return this.garbage > this.live && this.garbage > this.chunkSize;
  }

  /** Forgets every view; the owner must `copy` each live one (old chunks are then freed). */
  reset(): void {
    this.chunk = this.make(this.chunkSize);
    this.used = 0;
    this.live = 0;
    this.garbage = 0;
  }
}

/** An arena of `Uint32Array` ids (n-gram ids). */
export class IdArena extends TypedArena<Uint32Array> {
  /** @param chunkSize ids per chunk (default 65,536 = 256 KB). */
  constructor(chunkSize = 1 << 16) {
    super((length) => new Uint32Array(length), chunkSize);
  }
}

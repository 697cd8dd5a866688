import { IdArena, TypedArena } from '../../../../knowledge/matcher/index/idArena';

describe('IdArena', () => {
  it('hands out independent zero-filled views, large arrays on their own buffer', () => {
    const arena = new IdArena(16);
    const a = arena.allocate(2);
    const b = arena.allocate(2);
    a.set([7, 8]);
    expect([...b]).toEqual([0, 0]);
    expect(a.buffer).toBe(b.buffer);
    const big = arena.allocate(3); // over 1/8 of a chunk
    expect(big.buffer).not.toBe(a.buffer);
    expect(arena.copy(Uint32Array.from([1, 2]))).toEqual(Uint32Array.from([1, 2]));
  });

  it('starts a new chunk when one is full', () => {
    const arena = new IdArena(16);
    const views = Array.from({ length: 9 }, () => arena.allocate(2));
    expect(views[8]?.buffer).not.toBe(views[0]?.buffer);
  });

  it('asks for compaction once more ids are garbage than live', () => {
    const arena = new IdArena(16);
    for (let i = 0; i < 10; i += 1) arena.allocate(2);
    for (let i = 0; i < 9; i += 1) arena.release(2);
    expect(arena.needsCompaction).toBe(true);
    arena.reset();
    expect(arena.needsCompaction).toBe(false);
  });
});

describe('TypedArena', () => {
  it('holds other typed arrays (weights) as zero-filled views and copies', () => {
    const arena = new TypedArena<Float64Array>((length) => new Float64Array(length), 64);
    const a = arena.allocate(3);
    a.set([0.5, -1, 2]);
    const b = arena.allocate(2);
    expect([...b]).toEqual([0, 0]);
    expect(b.buffer).toBe(a.buffer);
    arena.release(3);
    arena.reset();
    const copied = arena.copy(a);
    expect([...copied]).toEqual([0.5, -1, 2]);
    expect(copied.buffer).not.toBe(a.buffer);
  });
});

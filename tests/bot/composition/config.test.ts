import { loadConfig, sentenceEncoderFolderOf } from '../../../bot/composition/config';

describe('configuration', () => {
  it('reads word-vector sources per locale', () => {
    const config = loadConfig({ MATCH_WORD_VECTORS: 'he=/data/cc.he.300.vec, en=none' });
    expect(config.MATCH_WORD_VECTORS).toEqual({ he: '/data/cc.he.300.vec', en: 'none' });
    expect(loadConfig({}).MATCH_WORD_VECTORS).toEqual({});
  });

  it('names the variable and the fix when a word-vector pair is malformed', () => {
    expect(() => loadConfig({ MATCH_WORD_VECTORS: 'hebrew:/data/x.vec' })).toThrow(
      /MATCH_WORD_VECTORS: "hebrew:\/data\/x.vec" is not locale=source; write e.g. he=/,
    );
  });

  it('keeps transcripts for ever unless a retention is set, and rejects a negative one', () => {
    expect(loadConfig({}).TRANSCRIPT_RETENTION_DAYS).toBe(0);
    expect(loadConfig({ TRANSCRIPT_RETENTION_DAYS: '90' }).TRANSCRIPT_RETENTION_DAYS).toBe(90);
    expect(() => loadConfig({ TRANSCRIPT_RETENTION_DAYS: '-1' })).toThrow(
      /TRANSCRIPT_RETENTION_DAYS/,
    );
  });

  it('switches the sentence encoder on by default, off on request, to a model folder, and rejects anything else', () => {
    expect(loadConfig({}).MATCH_SENTENCE_ENCODER).toBe('on');
    expect(loadConfig({ MATCH_SENTENCE_ENCODER: 'off' }).MATCH_SENTENCE_ENCODER).toBe('off');
    expect(() => loadConfig({ MATCH_SENTENCE_ENCODER: 'maybe' })).toThrow(
      /MATCH_SENTENCE_ENCODER must be "on", "off" or the path of a folder with model\.onnx/,
    );
    const folder = loadConfig({ MATCH_SENTENCE_ENCODER: '/srv/models/e5' });
    expect(sentenceEncoderFolderOf(folder)).toBe('/srv/models/e5');
    expect(sentenceEncoderFolderOf(loadConfig({ MATCH_SENTENCE_ENCODER: './models/e5' }))).toBe(
      './models/e5',
    );
    expect(sentenceEncoderFolderOf(loadConfig({}))).toBeUndefined();
  });
});

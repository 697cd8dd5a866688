/** The model behind an encoder: raw (not normalised) vectors of a batch of texts. */
export interface EncoderModel {
  embed(input: string[]): Promise<number[][]>;
}

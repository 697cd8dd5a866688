// natural's index requires every module it has (WordNet, the Brill tagger, all sentiment
// lexicons…): ~115 MB of RSS. We load the modules we use by path instead (~0.6 MB for the
// Porter stemmer); natural types its index only, so these declare those modules, reusing
// natural's own types.
declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  import type { Stemmer } from 'natural';
  const PorterStemmer: Stemmer;
  export = PorterStemmer;
}

declare module 'natural/lib/natural/sentiment/SentimentAnalyzer' {
  import { SentimentAnalyzer } from 'natural';
  export = SentimentAnalyzer;
}

declare module 'natural/lib/natural/tfidf/tfidf' {
  import { TfIdf } from 'natural';
  export = TfIdf;
}

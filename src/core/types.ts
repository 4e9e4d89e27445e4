/**
 * Shared types of geniza: the contract between the build (src/indexer, src/model) and the page
 * (workers/, src/client, src/ui). Pure data, no behaviour.
 */

/** A document as read from the user's input, before indexing. */
export interface SourceDoc {
  /** Unique id (file path relative to the input folder, or the `id` field of a JSONL line). */
  id: string;
  /** Title shown in results (front matter `title`, first `# heading`, `<title>`, or the JSONL `title`). */
  title: string;
  /** Plain text body (markup removed). */
  text: string;
  /** Link target for the result; defaults to a path derived from the id. */
  url?: string;
  /** Section headings inside the document, in order (used for pseudo-queries). */
  headings?: string[];
  /** Where the document came from (file path, or `file:line`), for error messages. */
  source?: string;
  /**
   * When this document is one section of a page split at its headings: the page's title. `title` is then the
   * section heading (the page's lead section has `title === pageTitle`), `url` is `page-url#anchor`, and results
   * are grouped by page (the url without its `#fragment`). Absent for a document that is a whole page.
   */
  pageTitle?: string;
  /** Facet values for filtering, e.g. `{ version: ['2.x'], lang: ['en'] }` (from `data-geniza-filter`, front matter, JSONL). */
  filters?: Record<string, string[]>;
  /**
   * True when the input gave no title (common in research collections): `title` then shows the id, and the build
   * learns nothing from it (no title pseudo-queries; the tokenizer, keywords and warm start read the text only).
   */
  untitled?: boolean;
}

/** A document as stored in the bundle's document store (`docs.json`), index = position in the array. */
export interface StoredDoc {
  id: string;
  title: string;
  url: string;
  /** Body text used for snippets (may be truncated at build time). */
  text: string;
  /** Title of the page this section belongs to (see `SourceDoc.pageTitle`); absent for whole-page documents. */
  pageTitle?: string;
  /** Facet values for filtering (see `SourceDoc.filters`); absent when the document has none. */
  filters?: Record<string, string[]>;
}

/** Architecture of the encoder-decoder model. One definition shared by trainer, exporter and runtime. */
export interface ModelConfig {
  /** Width of every hidden state. */
  dModel: number;
  /** Attention heads (dModel must be divisible by heads). */
  heads: number;
  /** Hidden width of the feed-forward blocks. */
  ffn: number;
  /** Number of encoder layers. */
  encoderLayers: number;
  /** Number of decoder layers. */
  decoderLayers: number;
  /** Source (query) vocabulary size = tokenizer vocabulary size. Token 0 is PAD. */
  srcVocab: number;
  /** Target (docid) vocabulary size: 1 (BOS = 0) + branching * maxDocidLength. */
  tgtVocab: number;
  /** Query length in tokens (queries are truncated / padded with PAD = 0 to exactly this). */
  maxSrcLen: number;
  /** Decoder length = maximum docid length in tokens (decoder input is BOS + all but the last docid token). */
  maxTgtLen: number;
  /**
   * Models of this shape in the bundle's graphs, trained with different seeds (default 1): the encoder's memory is
   * theirs side by side ([N, maxSrcLen, members * dModel]) and the decoder returns the mean of their log-probs.
   */
  members?: number;
}

/** One file of a bundle, as listed in the manifest. */
export interface FileEntry {
  /** Path relative to the bundle folder. */
  path: string;
  /** Size in bytes. */
  bytes: number;
  /** Lowercase hex SHA-256 of the file's bytes. */
  sha256: string;
}

/** The files every bundle has. */
export type BundleFileName = 'encoder' | 'decoder' | 'tokenizer' | 'trie' | 'docs';

/** `manifest.json`: the one contract between `geniza build` and the browser. */
export interface BundleManifest {
  /** Bundle format version; the browser refuses versions it does not know. */
  formatVersion: number;
  /** Tool that wrote the bundle, e.g. `geniza 0.1.0`. */
  generator: string;
  /** ISO 8601 build time. */
  createdAt: string;
  /** Content id of the whole bundle: SHA-256 over the file hashes (changes whenever any file changes). */
  bundleId: string;
  corpus: {
    documents: number;
    /** Pages the documents came from, when pages were split into sections (absent: one document per page). */
    pages?: number;
    /** Every filter facet and its values, sorted, for filter UIs (absent when no document has filters). */
    facets?: Record<string, string[]>;
  };
  model: ModelConfig;
  docids: {
    /** Docid scheme; `semantic-kmeans`: hierarchical k-means cluster path, last token = position in leaf; `atomic`: one token per document (K = documents). */
    scheme: 'semantic-kmeans' | 'atomic';
    /** Children per tree node (K). Docid token for cluster c at level l is 1 + l * K + c. */
    branching: number;
    /** Longest docid in tokens. */
    maxLength: number;
  };
  tokenizer: { type: 'wordpiece'; vocabSize: number };
  files: Record<BundleFileName, FileEntry>;
  /** How the model was trained (informational). */
  training?: {
    examples: number; steps: number; seconds: number; finalLoss: number; seed: number;
    /** Optional (bundles before 2026-11-26 lack them): examples per step, peak learning rate, decay towards the warm start. */
    batchSize?: number; learningRate?: number; anchorDecay?: number;
  };
  /**
   * Hybrid ranking fitted at build time on held-out pseudo-queries (src/indexer/fit-fusion.ts). Absent in bundles
   * built before fitting existed: the engine then ranks lexically (generativeWeight 0).
   */
  ranking?: BundleRanking;
}

/** `manifest.ranking`: how the lexical and generative rankings are fused (see src/core/fusion.ts). */
export interface BundleRanking {
  /** `linear` (normalized scores) or `rrf` (weighted reciprocal ranks). */
  fusion: 'linear' | 'rrf';
  /** Weight of the generative side in [0, 1]; 0 = lexical ranking only. */
  generativeWeight: number;
  /** Weight of the lexical prior in decoding (lexical-guided beam search); 0 = none. */
  lexicalPrior: number;
  /**
   * What the fit measured (informational): MRR@10 of each held-out query's source document per side. `kind`:
   * `cloze` (sentences removed from their documents before the build learnt them) or `pseudo-queries` (held-out
   * pseudo-queries; also what a bundle without `kind` used).
   */
  heldOut?: {
    queries: number; seed: number; seconds: number; kind?: 'cloze' | 'pseudo-queries';
    mrr: { lexical: number; generative: number; hybrid: number };
  };
}

/** A character range [start, end) inside a snippet to highlight. */
export type HighlightRange = [start: number, end: number];

/** Text excerpt of a result with the ranges that match query terms. */
export interface Snippet {
  text: string;
  highlights: HighlightRange[];
}

/** One ranked result. */
export interface SearchHit {
  /** Position of the document in the document store. */
  docIndex: number;
  id: string;
  title: string;
  url: string;
  /** Higher is better; for generative decoding the docid's log-probability under the model. */
  score: number;
  /** Excerpt of the body with query terms highlighted. */
  snippet: Snippet;
  /** Highlight ranges inside the title. */
  titleHighlights: HighlightRange[];
  /** Title of the page this hit is a section of (see `StoredDoc.pageTitle`); absent for whole-page documents. */
  pageTitle?: string;
}

/** Answer to one query. */
export interface SearchResponse {
  query: string;
  hits: SearchHit[];
  /** Milliseconds spent in the worker (encode + decode + snippets). */
  elapsedMs: number;
  /**
   * Set when no document contains the query's words and the hits are the model's nearest documents instead (hybrid
   * search without `requireTermMatch`); say so rather than present them as matches. Default: absent.
   */
  related?: true;
}

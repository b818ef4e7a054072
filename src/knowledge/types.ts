/**
 * The knowledge base's own records: a parsed document, a chunk ready to store, what the catalogue
 * keeps per document, and the dense-index contract that the in-memory matrix and Chroma both
 * implement. Types only.
 */

/** A document after parsing: its title and its text cut at headings. */
export interface ParsedDocument {
  title: string;
  sections: ParsedSection[];
}

export interface ParsedSection {
  /** Heading path below the title, e.g. ['退货政策', '运费承担']; [] for text before any heading. */
  headings: string[];
  /** Body text of the section (paragraphs separated by blank lines). */
  text: string;
}

/** One chunk as the chunker makes it. */
export interface ChunkDraft {
  headings: string[];
  text: string;
}

/** A chunk as stored: id, owner, position, text, metadata. */
export interface StoredChunk {
  /** Stable id: a hash of source, position and text. */
  id: string;
  source: string;
  title: string;
  ordinal: number;
  headings: string[];
  text: string;
  metadata: Record<string, string>;
}

/** What the catalogue keeps per ingested file. */
export interface DocumentInfo {
  source: string;
  title: string;
  /** sha256 of the bytes plus the metadata and chunking settings that shaped its chunks. */
  hash: string;
  metadata: Record<string, string>;
  chunkCount: number;
  ingestedAt: string;
}

export interface DenseHit {
  id: string;
  /** Cosine similarity (vectors are L2-normalised). */
  score: number;
}

export interface DenseItem {
  id: string;
  vector: Float32Array;
  metadata: Record<string, string>;
  /** The chunk text (Chroma keeps it as the record's document; the matrix ignores it). */
  text: string;
}

/**
 * Where dense search happens. The catalogue (SQLite) always keeps the vectors too, so an index can
 * be rebuilt from it; `reset` + `upsert` does that.
 */
export interface DenseIndex {
  readonly kind: 'sqlite' | 'chroma';
  upsert(items: readonly DenseItem[]): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
  search(
    vector: Float32Array,
    options: { limit: number; filter?: Record<string, string> },
  ): Promise<DenseHit[]>;
  count(): Promise<number>;
  /** Drop every vector (before a full rebuild). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

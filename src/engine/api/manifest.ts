import type { KObject } from './types';

/** One document of a manifest, with the 1-based line it starts on (for inline editor errors). */
export interface ManifestDocument {
  object: KObject;
  line: number;
}

/** A problem with one document, in kubectl's words, with the 1-based line to show it at. */
export interface ManifestError {
  message: string;
  line: number;
}

export interface ParsedManifests {
  documents: ManifestDocument[];
  errors: ManifestError[];
}

/**
 * Parse a multi-document YAML (or KYAML / JSON) manifest. Placeholder: to be implemented.
 */
export function parseManifests(_text: string): ParsedManifests {
  return { documents: [], errors: [] };
}

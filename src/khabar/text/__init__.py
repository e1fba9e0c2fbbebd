"""Text processing: character tables, the normalizer, the half-space model, the segmenter."""

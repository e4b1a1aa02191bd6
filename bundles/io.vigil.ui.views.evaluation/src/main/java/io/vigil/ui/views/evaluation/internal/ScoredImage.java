package io.vigil.ui.views.evaluation.internal;

/** One evaluated image: its label and image score (maps are not kept). */
record ScoredImage(String id, String defectType, boolean anomalous, double score) {}

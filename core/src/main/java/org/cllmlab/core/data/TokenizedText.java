package org.cllmlab.core.data;

/** A tokenizer together with the ids of the text it was built from (built and encoded in one pass). */
public record TokenizedText(Tokenizer tokenizer, int[] ids) {
}

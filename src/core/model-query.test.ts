import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QUESTION_WORDS, modelQuery } from './model-query.ts';
import { normalize } from './text.ts';

test('a question loses its interrogative, auxiliary and pronoun words and its punctuation', () => {
  assert.equal(modelQuery('How do I configure the cache?'), 'configure the cache');
  assert.equal(modelQuery('do cholesterol statin drugs cause breast cancer ?'), 'cholesterol statin drugs cause breast cancer');
  assert.equal(modelQuery('What similarity laws must be obeyed when constructing aeroelastic models?'), 'similarity laws obeyed constructing aeroelastic models');
});

test('negations, prepositions and content words stay; words keep their typed form', () => {
  assert.equal(modelQuery('Vitamin D is not associated with fractures in the elderly'), 'Vitamin D not associated with fractures in the elderly');
  assert.equal(modelQuery('Café au lait'), 'Café au lait');
  assert.equal(modelQuery('WHERE is the Über config'), 'the Über config');
});

test('the tail of a contracted question word goes with it; a possessive or a negation stays', () => {
  assert.equal(modelQuery("What's new in 2.0?"), 'new in 2 0');
  assert.equal(modelQuery('it’s broken'), 'broken');
  assert.equal(modelQuery('what ’ s driving america ’ s obesity'), 'driving america s obesity');
  assert.equal(modelQuery("you're sure I'm right"), 'sure right');
  assert.equal(modelQuery("doesn't work"), 'doesn t work');
});

test('a query of question words only, or of no word at all, is unchanged', () => {
  assert.equal(modelQuery('what is it'), 'what is it');
  assert.equal(modelQuery('How?'), 'How?');
  assert.equal(modelQuery('🙂 ?!'), '🙂 ?!');
  assert.equal(modelQuery(''), '');
});

test('the list holds normalized words only (lowercase, no accents), and no negation', () => {
  for (const w of QUESTION_WORDS) assert.equal(w, normalize(w));
  for (const w of ['not', 'no', 'nor', 'without']) assert.ok(!QUESTION_WORDS.has(w), w);
});

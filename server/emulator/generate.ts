import type { Attachment, Conversation } from './conversation.ts';
import { stripFaults } from './faults.ts';
import { askedLength, composeCounted, LONG_FACTOR, toTokens, type LengthAsk } from './length.ts';
import type { ModelSpec } from './models.ts';
import { tokenize } from './tokens.ts';
import { FAMILY_VOICES, MODEL_VOICES } from './voices.ts';

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence';

/** A finished (possibly truncated) answer: `tokens` joined is `text`. */
export interface Answer {
  text: string;
  tokens: string[];
  stopReason: StopReason;
  stopSequence?: string;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STOPWORDS = new Set(
  `about above after again against all also and any are because been before being below between both
  but can could did does doing down during each few for from further had has have having her here hers
  him his how into its itself just like more most much must myself not now off once only other our ours
  out over own please same she should some such than that the their theirs them then there these they
  this those through too under until very was were what when where which while who whom why will with
  would you your yours tell explain give write make show want know think using used use into onto
  describe summarize summarise list compare translate draft create generate answer respond count`.split(
    /\s+/,
  ),
);

/** Endings that mark verbs and adjectives; as topics they read oddly ("happens to negative"). */
const NOT_A_NOUN = /^\p{L}{3,}(?:ed|ing|ive|ous|ful|able|ible)$/u;
const DETERMINERS = new Set(['the', 'a', 'an', 'our', 'my', 'your', 'this', 'that', 'their']);

/**
 * The request's likely topics, without a part-of-speech tagger: words said more than once, and
 * words right after a determiner ("the customer"), are usually nouns; verb and adjective endings
 * count against a word. Ties go to the longer word, then the earlier one.
 */
function keywords(text: string): string[] {
  const score = new Map<string, number>();
  let previous = '';
  for (const [word] of text.matchAll(/\p{L}[\p{L}\p{N}-]*/gu)) {
    const lower = word.toLowerCase();
    const after = previous;
    previous = lower;
    if (lower.length < 4 || STOPWORDS.has(lower)) continue;
    const bonus = (DETERMINERS.has(after) ? 1 : 0) - (NOT_A_NOUN.test(lower) ? 2 : 0);
    score.set(lower, (score.get(lower) ?? 0) + 1 + (score.has(lower) ? 0 : bonus));
  }
  return [...score.keys()]
    .sort((a, b) => score.get(b)! - score.get(a)! || b.length - a.length)
    .slice(0, 3);
}

function shorten(text: string, maxWords: number): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  if (words.length <= maxWords) return words.join(' ');
  return `${words.slice(0, maxWords).join(' ')}…`;
}

function describeImages(images: Attachment[]): { count: string; formats: string } {
  return {
    count: images.length === 1 ? '1 image' : `${images.length} images`,
    formats: [...new Set(images.map((image) => image.format))].join(', '),
  };
}

const capital = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);

// A system prompt that asks for a persona or a format visibly changes the answer, so a
// comparison shows the instruction was received.
const PIRATE = /\bpirate|\bbuccaneer|\bcorsair/i;
const BRIEF = /\b(concise|brief|briefly|short|terse|one sentence|succinct)\b/i;
const JSON_FORMAT = /\bjson\b/i;
/** A system prompt asking for brevity keeps the short answer it has always had. */
const BRIEF_ASK: LengthAsk = { unit: 'scale', scale: 'brief', phrase: '' };
const SHOUT = /\b(all caps|uppercase|upper case|shout)\b/i;

// A Map, not an object literal: a prompt's words ("constructor", "toString") must not find
// Object.prototype's members.
const PIRATE_SWAPS = new Map([
  ['you', 'ye'],
  ['your', 'yer'],
  ['my', 'me'],
  ['is', 'be'],
  ['are', 'be'],
  ['the', "th'"],
  ['hello', 'ahoy'],
  ['friend', 'matey'],
  ['yes', 'aye'],
]);

function piratify(text: string): string {
  // Quoted words are the user's and the system's own: they stay exactly as received.
  const swapped = text
    .split(/("[^"]*")/)
    .map((part) =>
      part.startsWith('"')
        ? part
        : part.replace(/\b[A-Za-z]+\b/g, (word) => {
            const swap = PIRATE_SWAPS.get(word.toLowerCase());
            if (!swap) return word;
            const capital = word[0] === word[0]?.toUpperCase();
            return capital ? `${swap[0]?.toUpperCase() ?? ''}${swap.slice(1)}` : swap;
          }),
    )
    .join('');
  return `Arr, matey! ${swapped} Yo ho ho!`;
}

/**
 * The full answer a model would give to a conversation, before any maxTokens or stop sequence.
 * It depends only on the model, the conversation (fault directives removed) and `exactTokens`
 * (`[[fault:tokens:n=N]]`), so a truncated or faulted run streams a prefix of the same text.
 * A length asked for in the last user message (or else the system prompt) shapes it; an answer
 * of `exactTokens` tokens is cut to exactly that many.
 */
export function composeAnswer(
  model: ModelSpec,
  conversation: Conversation,
  exactTokens?: number,
): string {
  const turns = conversation.turns.map((turn) => ({ ...turn, text: stripFaults(turn.text) }));
  const system = stripFaults(conversation.system);
  const users = turns.filter((turn) => turn.role === 'user');
  const last = users.at(-1);
  const userText = last?.text ?? '';
  const random = mulberry32(fnv1a(`${model.id}\n${JSON.stringify({ system, turns })}`));

  const family = FAMILY_VOICES[model.family];
  const voice = MODEL_VOICES[model.id] ?? { opener: '"{quote}":', closer: '' };
  const asked =
    exactTokens !== undefined
      ? undefined
      : (askedLength(userText) ?? (BRIEF.test(system) ? BRIEF_ASK : askedLength(system)));
  // "Three paragraphs" or "a long essay" asks for a length; it is not what the answer is about.
  const found = keywords(asked ? userText.replace(asked.phrase, ' ') : userText);
  const fallback = ['this topic', 'the details', 'the wider context'];
  const [k1 = '', k2 = '', k3 = ''] = [...found, ...fallback.slice(found.length)];
  const earlierTopic = keywords(
    users
      .slice(0, -1)
      .map((turn) => turn.text)
      .join(' '),
  )[0];
  const values: Record<string, string> = {
    quote: userText ? shorten(userText, 18) : 'your message',
    system: shorten(system, 20),
    k1,
    k2,
    k3,
    K1: capital(k1),
    K2: capital(k2),
    K3: capital(k3),
    earlier: earlierTopic ?? '',
  };

  const lead: string[] = [fill(voice.opener, values)];
  if (system) lead.push(fill(family.systemAck, values));
  if (earlierTopic && users.length > 1) lead.push(fill(family.earlier, values));
  const attachments = last?.attachments ?? [];
  const images = attachments.filter((item) => item.kind === 'image');
  if (images.length > 0) lead.push(fill(family.images, { ...values, ...describeImages(images) }));
  for (const doc of attachments.filter((item) => item.kind === 'document')) {
    lead.push(
      fill(family.document, { ...values, name: doc.name ?? 'document', format: doc.format }),
    );
  }
  // What the bytes hold, read from them, so a comparison shows the attachment arrived whole.
  const details = attachments.flatMap((item) => (item.detail ? [item.detail] : []));
  if (details.length) lead.push(`Received: ${details.join('; ')}.`);

  const [low, high] = model.answerTokens;
  const brief = asked?.unit === 'scale' && asked.scale === 'brief';
  const target = brief ? Math.round(low / 3) : low + Math.floor(random() * (high - low + 1));
  const order = family.body
    .map((sentence) => ({ sentence, key: random() }))
    .sort((a, b) => a.key - b.key)
    .map(({ sentence }) => fill(sentence, values));
  const closer = fill(voice.closer, values);

  // Past the model's own sentences come more rounds in new orders, the topics rotated.
  const topics = [k1, k2, k3];
  const more = function* (): Generator<string> {
    yield* order;
    for (let round = 1; ; round += 1) {
      const at = (i: number): string => topics[(i + round) % topics.length] ?? '';
      const rotated = {
        ...values,
        ...{ k1: at(0), k2: at(1), k3: at(2) },
        ...{ K1: capital(at(0)), K2: capital(at(1)), K3: capital(at(2)) },
      };
      yield* family.body
        .map((sentence) => ({ sentence, key: random() }))
        .sort((a, b) => a.key - b.key)
        .map(({ sentence }) => fill(sentence, rotated));
    }
  };
  const parts = { lead, closer, joiner: family.joiner, intro: family.bodyIntro, sentences: more() };

  let text: string;
  if (exactTokens !== undefined) text = toTokens(parts, exactTokens);
  else if (asked?.unit === 'scale' && asked.scale !== 'brief') {
    text = toTokens(parts, target * LONG_FACTOR[asked.scale]);
  } else if (asked !== undefined && asked.unit !== 'scale') {
    text = composeCounted(parts, asked, random);
  } else {
    const body: string[] = [];
    const length = (): number => tokenize([...lead, ...body, closer].join(' ')).length;
    for (let i = 0; length() < target && i < order.length; i += 1) {
      body.push(order[i] ?? '');
      if (brief) break;
    }
    const bodyText = family.bodyIntro
      ? [family.bodyIntro, ...body].join(family.joiner)
      : body.join(family.joiner);
    text = [lead.join(' '), bodyText, closer].filter(Boolean).join('\n\n');
  }
  if (PIRATE.test(system)) text = piratify(text);
  if (SHOUT.test(system)) text = text.toUpperCase();
  if (JSON_FORMAT.test(system)) text = JSON.stringify({ answer: text, model: model.name }, null, 2);
  return exactTokens === undefined ? text : tokenize(text).slice(0, exactTokens).join('');
}

/** Applies stop sequences (stop just before the earliest one) and then the token budget. */
export function limitAnswer(
  full: string,
  maxTokens: number,
  stopSequences: readonly string[] = [],
): Answer {
  let stopAt = Infinity;
  let stopSequence: string | undefined;
  for (const sequence of stopSequences) {
    const at = sequence ? full.indexOf(sequence) : -1;
    if (at !== -1 && at < stopAt) {
      stopAt = at;
      stopSequence = sequence;
    }
  }
  const tokens: string[] = [];
  let offset = 0;
  for (const piece of tokenize(full)) {
    if (offset + piece.length > stopAt) {
      const partial = piece.slice(0, stopAt - offset);
      if (partial) tokens.push(partial);
      break;
    }
    tokens.push(piece);
    offset += piece.length;
  }
  if (tokens.length > maxTokens) {
    const kept = tokens.slice(0, maxTokens);
    return { text: kept.join(''), tokens: kept, stopReason: 'max_tokens' };
  }
  if (stopSequence !== undefined) {
    return { text: tokens.join(''), tokens, stopReason: 'stop_sequence', stopSequence };
  }
  return { text: tokens.join(''), tokens, stopReason: 'end_turn' };
}

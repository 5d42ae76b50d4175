import type { Family } from './models.ts';

/**
 * How a model talks. Placeholders: {quote} the user's words, {system} the system instruction,
 * {k1} {k2} {k3} keywords of the question, {earlier} a keyword of an earlier turn.
 */
export interface Voice {
  opener: string;
  closer: string;
}

export interface FamilyVoice {
  systemAck: string;
  earlier: string;
  images: string;
  document: string;
  /** Body sentences; a seeded shuffle picks the order. */
  body: readonly string[];
  /** Separator between body sentences: prose runs on, Llama 3 writes bullet lists. */
  joiner: string;
  bodyIntro?: string;
}

export const FAMILY_VOICES: Record<Family, FamilyVoice> = {
  claude: {
    systemAck: 'Following your instruction ("{system}"), I will answer accordingly.',
    earlier: 'This builds on what we discussed earlier about {earlier}.',
    images:
      'Looking at the {count} you shared ({formats}), I will take the visual details into account.',
    document: 'I have read through the document "{name}" ({format}) before answering.',
    body: [
      'The heart of the matter is {k1}: once that is clear, {k2} tends to follow.',
      'A useful way to frame {k1} is to ask what would change if {k2} were taken away.',
      'In practice, most of the difficulty with {k1} comes from the details of {k3}.',
      'It is worth separating what is known about {k2} from what is usually assumed.',
      'If I had to summarise, I would say {k1} matters most, with {k2} a close second.',
      'One common mistake is to treat {k1} and {k3} as the same thing; they overlap, but not fully.',
      'A small example helps: start with {k2}, change one thing at a time, and watch what happens to {k1}.',
      'There is a trade-off between simplicity and completeness here, and {k3} sits right on it.',
      'I would be careful with strong claims about {k2} unless you have a source you trust.',
      'Seen from a distance, {k1} is less a single idea than a family of related ones.',
      'The honest answer is that {k3} depends on context, so it helps to state your assumptions.',
      'Put simply, {k2} is the part most people underestimate.',
    ],
    joiner: ' ',
  },
  llama2: {
    systemAck: 'As you asked in the system prompt ("{system}"), I will make sure to follow that.',
    earlier: 'Going back to your earlier question about {earlier}, this connects nicely.',
    images: 'I cannot view images, but I understand you attached {count}.',
    document: 'Thank you for sharing the document "{name}" ({format})!',
    body: [
      'First of all, {k1} is a really interesting topic, and there is a lot to say about it!',
      'One thing to keep in mind is that {k2} can vary quite a bit depending on the situation.',
      'Another important point is how {k1} relates to {k3}.',
      'Here are a few things to consider: the basics of {k1}, the role of {k2}, and some common pitfalls.',
      'It is also worth noting that {k3} is often misunderstood.',
      'Additionally, it is important to be respectful and safe when exploring {k2}.',
      'Many people find that learning about {k1} step by step makes it much easier.',
      'In summary, {k1} and {k2} go hand in hand, and understanding one helps with the other.',
      'Of course, everyone has a different perspective on {k3}, and that is okay!',
      'Remember that reliable sources are your best friend when it comes to {k2}.',
    ],
    joiner: ' ',
  },
  llama3: {
    systemAck: '*Following your system prompt: "{system}"*',
    earlier: 'Picking up from our earlier discussion of {earlier}:',
    images: 'Note: I received {count} but can only work with text here.',
    document: 'I have gone through **{name}** ({format}).',
    bodyIntro: '**Key points:**',
    body: [
      '* **{K1}**: the core idea, and where most questions start.',
      '* **{K2}**: it shapes how {k1} plays out in practice.',
      '* **{K3}**: easy to overlook, but it often decides the outcome.',
      '* **Context matters**: the right answer about {k2} depends on your goal.',
      '* **A quick test**: change {k3} and see whether {k1} still holds.',
      '* **Common pitfall**: confusing {k1} with {k2}.',
      '* **Sources**: check claims about {k3} against something you trust.',
      '* **Bottom line**: {k1} first, then {k2}.',
    ],
    joiner: '\n',
  },
  llama4: {
    systemAck: '(Following the system prompt: "{system}".)',
    earlier: 'Building on the earlier point about {earlier}:',
    images: 'From the {count} you sent ({formats}), here is what matters.',
    document: 'Based on **{name}** ({format}):',
    bodyIntro: '### In brief',
    body: [
      '- {K1} is the starting point; most of the rest follows from it.',
      '- {K2} decides how {k1} behaves in real cases.',
      '- Watch {k3}: it is small but it changes the result.',
      '- A practical check: vary {k2} and see what happens to {k1}.',
      '- People often mix up {k1} and {k3}.',
      '- The short version: {k1}, then {k2}, then {k3}.',
      '- If you need more depth on {k2}, ask and I will expand.',
    ],
    joiner: '\n',
  },
  nova: {
    systemAck: 'As instructed ("{system}"), here is my response.',
    earlier: 'Continuing from our discussion of {earlier}:',
    images: 'The {count} ({formats}) you provided show details I have taken into account.',
    document: 'I reviewed "{name}" ({format}).',
    body: [
      '{K1} is the central idea here, and {k2} is closely related.',
      'To put it concretely, {k1} shapes the outcome while {k3} sets the limits.',
      'A common approach is to look at {k2} first, then at how it affects {k1}.',
      'Keep in mind that {k3} varies with context.',
      'In summary: {k1} matters most, {k2} explains why, and {k3} adds nuance.',
      'Reliable sources agree on the basics of {k1}, though details about {k2} differ.',
      'One practical tip: write down your assumptions about {k3} before you start.',
    ],
    joiner: ' ',
  },
  mistral: {
    systemAck: 'Noted: "{system}".',
    earlier: 'Regarding {earlier}, which you asked about before:',
    images: 'I see {count} ({formats}) attached.',
    document: 'Using the document "{name}" ({format}) as context.',
    bodyIntro: 'Here is an overview:',
    body: [
      '- {K1}: the foundation of the topic.',
      '- {K2}: how it connects to {k1}.',
      '- {K3}: the detail that is easy to miss.',
      '- In practice: start from {k1} and adjust for {k2}.',
      '- A caution: claims about {k3} need a good source.',
      '- To conclude: {k1} and {k2} together explain most of it.',
    ],
    joiner: '\n',
  },
};

export const MODEL_VOICES: Record<string, Voice> = {
  'anthropic.claude-instant-v1': {
    opener: 'Sure. On "{quote}":',
    closer: 'Hope that helps.',
  },
  'anthropic.claude-v2': {
    opener: 'Here is my response to your question "{quote}":',
    closer: 'Let me know if you have any other questions!',
  },
  'anthropic.claude-v2:1': {
    opener: 'I would be happy to help with that. You asked: "{quote}"',
    closer: 'Please let me know if you need any clarification.',
  },
  'anthropic.claude-3-haiku-20240307-v1:0': {
    opener: 'Quick take on "{quote}":',
    closer: 'Want me to go deeper on {k1}?',
  },
  'anthropic.claude-3-sonnet-20240229-v1:0': {
    opener: 'You asked: "{quote}". Here is a balanced answer.',
    closer: 'Let me know if you would like more detail on {k2}.',
  },
  'anthropic.claude-3-opus-20240229-v1:0': {
    opener:
      'That is a thoughtful question. You wrote: "{quote}", and it deserves a careful answer.',
    closer:
      'I hope this gives you a solid footing on {k1}; I am glad to explore any part of it further.',
  },
  'anthropic.claude-3-5-sonnet-20240620-v1:0': {
    opener: 'Good question. You asked: "{quote}". Let me break it down.',
    closer: 'Happy to expand on any of these points.',
  },
  'meta.llama2-13b-chat-v1': {
    opener: 'Sure! I would be happy to help you with your question: "{quote}"',
    closer: 'I hope this helps! Let me know if you have any other questions. 😊',
  },
  'meta.llama2-70b-chat-v1': {
    opener: 'Of course! Thank you for asking: "{quote}". Here is a detailed answer.',
    closer:
      'I hope this information is helpful. Please feel free to ask if you have any further questions!',
  },
  'meta.llama3-8b-instruct-v1:0': {
    opener: 'Here is a quick answer to "{quote}":',
    closer: 'Let me know if you want more!',
  },
  'meta.llama3-70b-instruct-v1:0': {
    opener: 'Great question! You asked: "{quote}". Let us dig in.',
    closer: 'Hope this helps! Feel free to ask follow-up questions.',
  },
  // Models added with the catalog of 2026: each its own opening, so a comparison tells them apart.
  'anthropic.claude-3-5-sonnet-20241022-v2:0': {
    opener: 'You asked: "{quote}". Here is a clear answer.',
    closer: 'Tell me if you want an example for {k1}.',
  },
  'anthropic.claude-3-5-haiku-20241022-v1:0': {
    opener: 'Short answer to "{quote}":',
    closer: 'More on {k2} if useful.',
  },
  'anthropic.claude-3-7-sonnet-20250219-v1:0': {
    opener: 'Let me work through "{quote}" step by step.',
    closer: 'I can go further into {k1} or {k2}.',
  },
  'anthropic.claude-sonnet-4-20250514-v1:0': {
    opener: 'On "{quote}": here is how I see it.',
    closer: 'Happy to dig into {k1} further.',
  },
  'anthropic.claude-opus-4-20250514-v1:0': {
    opener: 'You wrote: "{quote}". This deserves a thorough answer, so let me take it in parts.',
    closer: 'If it helps, I can turn this into a worked example on {k1}.',
  },
  'anthropic.claude-opus-4-1-20250805-v1:0': {
    opener: 'Taking your question, "{quote}", seriously, here is a careful answer.',
    closer: 'Let me know which part of {k1} you would like to explore next.',
  },
  'anthropic.claude-sonnet-4-5-20250929-v1:0': {
    opener: '"{quote}" is a good question. The short version first, then the details.',
    closer: 'Want me to expand on {k2}?',
  },
  'anthropic.claude-haiku-4-5-20251001-v1:0': {
    opener: 'Quick answer to "{quote}":',
    closer: 'Ask if you want the longer version.',
  },
  'anthropic.claude-opus-4-5-20251101-v1:0': {
    opener: 'You asked: "{quote}". Here is a considered answer, with the reasoning laid out.',
    closer: 'I can go deeper on {k1}, {k2} or {k3}, whichever is most useful.',
  },
  'meta.llama3-1-8b-instruct-v1:0': {
    opener: 'Here is an answer to "{quote}":',
    closer: 'Let me know if you have more questions!',
  },
  'meta.llama3-1-70b-instruct-v1:0': {
    opener: 'Good question! "{quote}" — let me explain.',
    closer: 'I hope this helps. Feel free to ask more!',
  },
  'meta.llama3-1-405b-instruct-v1:0': {
    opener: 'Thank you for the question: "{quote}". A detailed answer follows.',
    closer: 'Please let me know if anything needs clarification.',
  },
  'meta.llama3-2-1b-instruct-v1:0': {
    opener: '"{quote}":',
    closer: '',
  },
  'meta.llama3-2-3b-instruct-v1:0': {
    opener: 'About "{quote}":',
    closer: 'Hope that helps!',
  },
  'meta.llama3-2-11b-instruct-v1:0': {
    opener: 'You asked "{quote}". Here is what I can tell you.',
    closer: 'Let me know if you need more detail.',
  },
  'meta.llama3-2-90b-instruct-v1:0': {
    opener: 'Let us look at "{quote}" carefully.',
    closer: 'Feel free to follow up on {k1}.',
  },
  'meta.llama3-3-70b-instruct-v1:0': {
    opener: 'Great question! You asked "{quote}". Here is a thorough answer.',
    closer: 'Let me know if you would like me to elaborate on {k2}.',
  },
  'meta.llama4-scout-17b-instruct-v1:0': {
    opener: 'Here is what you need to know about "{quote}":',
    closer: 'Anything else about {k1}?',
  },
  'meta.llama4-maverick-17b-instruct-v1:0': {
    opener: 'Let us break down "{quote}".',
    closer: 'I can also compare {k1} with {k2} if that helps.',
  },
  'amazon.nova-micro-v1:0': {
    opener: 'Answer to "{quote}":',
    closer: '',
  },
  'amazon.nova-lite-v1:0': {
    opener: 'Here is a response to "{quote}".',
    closer: 'Let me know if you need anything else.',
  },
  'amazon.nova-pro-v1:0': {
    opener: 'Thank you for your question, "{quote}". Here is a detailed response.',
    closer: 'I hope this information is useful.',
  },
  'amazon.nova-premier-v1:0': {
    opener: 'You asked: "{quote}". Below is a comprehensive answer.',
    closer: 'I can provide further analysis of {k1} on request.',
  },
  'mistral.mistral-7b-instruct-v0:2': {
    opener: 'Sure. "{quote}"',
    closer: 'I hope this answers your question.',
  },
  'mistral.mixtral-8x7b-instruct-v0:1': {
    opener: 'Certainly! Regarding "{quote}":',
    closer: 'Let me know if you would like more information.',
  },
  'mistral.mistral-large-2402-v1:0': {
    opener: 'Here is a structured answer to "{quote}".',
    closer: 'I can elaborate on any point.',
  },
  'mistral.mistral-small-2402-v1:0': {
    opener: 'In response to "{quote}":',
    closer: 'Hope this helps.',
  },
  'mistral.mistral-large-2407-v1:0': {
    opener: 'Let me address "{quote}" point by point.',
    closer: 'Would you like me to go deeper into {k1}?',
  },
  'mistral.pixtral-large-2502-v1:0': {
    opener: 'Looking at your request, "{quote}", here is my answer.',
    closer: 'Feel free to share more context about {k2}.',
  },
};

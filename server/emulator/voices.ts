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
};

/**
 * What the playground knows about models that Bedrock's control plane does not say: prices,
 * context windows, output limits, the native body family, and the features the API has no field
 * for (reasoning, tool use, documents, a system prompt). The live catalog joins these to what
 * `ListFoundationModels` and `ListInferenceProfiles` answer; without the control plane they are
 * also the fallback list, so they carry lifecycle, modalities and profile geographies too (from
 * the emulator's catalog of AWS's pages, read on 2026-12-01).
 */
import type { AdapterFamily, Geography, ModelFacts } from './types.ts';

/**
 * The date the prices were read. Sources: the on-demand tables of
 * https://aws.amazon.com/bedrock/pricing/ (us-east-1) through dated copies: the "AWS Pricing
 * Cache" of aws/agent-toolkit-for-aws (2026-09-03) and its `bedrock_pricing.py` table
 * (re-verified there on 2026-10-05), cross-checked with third-party price guides for the Claude
 * 3 and 3.5, Nova and Mistral rows. Rows marked `unchecked-price` could not be checked: Claude
 * Instant and 2.x, Llama 2, Llama 3 8B (mid-2024 figures of the first table), Llama 3.1 and
 * Llama 3.2 1B/3B/11B (sources disagree or none was found), Mistral 7B and Mixtral (one
 * secondary source). Claude 3.5 Sonnet keeps its launch price though one source reports a
 * doubled "extended access" rate for it. The page labels every cost an estimate.
 */
export const PRICES_AS_OF = '2026-10-05';

type Flag =
  | 'images'
  | 'legacy'
  | 'reasoning'
  | 'profile-only'
  | 'chat'
  | 'no-tools'
  | 'no-documents'
  | 'no-system'
  | 'unchecked-price'
  | 'geography-premium';

interface Row {
  name: string;
  /** [most output tokens, context window] */
  size: readonly [number, number];
  /** [input, output] USD per 1,000 tokens */
  price: readonly [number, number];
  flags?: readonly Flag[];
  geos?: readonly Geography[];
}

function provider(
  name: string,
  family: AdapterFamily | undefined,
  rows: Record<string, Row>,
): ModelFacts[] {
  return Object.entries(rows).map(([id, row]) => {
    const has = (flag: Flag) => row.flags?.includes(flag) ?? false;
    return {
      id,
      name: row.name,
      provider: name,
      family,
      lifecycle: has('legacy') ? 'LEGACY' : 'ACTIVE',
      inputModalities: has('images') ? ['TEXT', 'IMAGE'] : ['TEXT'],
      maxOutputTokens: row.size[0],
      contextWindow: row.size[1],
      price: {
        inputPer1k: row.price[0],
        outputPer1k: row.price[1],
        checked: !has('unchecked-price'),
        ...(has('geography-premium') ? { geographyPremium: 0.1 } : {}),
      },
      features: {
        reasoning: has('reasoning'),
        toolUse: !has('no-tools'),
        documents: !has('no-documents'),
        systemPrompt: !has('no-system'),
      },
      geographies: row.geos ?? [],
      profileOnly: has('profile-only'),
      chat: has('chat'),
    };
  });
}

const K200 = 200_000;
const K128 = 128_000;
const US: readonly Geography[] = ['us'];
const US_EU_APAC: readonly Geography[] = ['us', 'eu', 'apac'];
const CLAUDE_45: readonly Geography[] = ['us', 'eu', 'global'];

/** The models, in the order a picker lists them within a provider. */
export const MODEL_FACTS: readonly ModelFacts[] = [
  ...provider('Anthropic', 'claude', {
    'anthropic.claude-instant-v1': {
      name: 'Claude Instant',
      size: [4096, 100_000],
      price: [0.0008, 0.0024],
      flags: ['legacy', 'no-tools', 'unchecked-price'],
    },
    'anthropic.claude-v2': {
      name: 'Claude 2',
      size: [4096, 100_000],
      price: [0.008, 0.024],
      flags: ['legacy', 'no-tools', 'unchecked-price'],
    },
    'anthropic.claude-v2:1': {
      name: 'Claude 2.1',
      size: [4096, K200],
      price: [0.008, 0.024],
      flags: ['legacy', 'no-tools', 'unchecked-price'],
    },
    'anthropic.claude-3-haiku-20240307-v1:0': {
      name: 'Claude 3 Haiku',
      size: [4096, K200],
      price: [0.00025, 0.00125],
      flags: ['images'],
      geos: US_EU_APAC,
    },
    'anthropic.claude-3-sonnet-20240229-v1:0': {
      name: 'Claude 3 Sonnet',
      size: [4096, K200],
      price: [0.003, 0.015],
      flags: ['images', 'legacy'],
      geos: US_EU_APAC,
    },
    'anthropic.claude-3-opus-20240229-v1:0': {
      name: 'Claude 3 Opus',
      size: [4096, K200],
      price: [0.015, 0.075],
      flags: ['images', 'legacy'],
      geos: US,
    },
    // Bedrock allows 8192 output tokens; 4096 is the limit the playground has always applied.
    'anthropic.claude-3-5-sonnet-20240620-v1:0': {
      name: 'Claude 3.5 Sonnet',
      size: [4096, K200],
      price: [0.003, 0.015],
      flags: ['images', 'legacy'],
      geos: US_EU_APAC,
    },
    'anthropic.claude-3-5-sonnet-20241022-v2:0': {
      name: 'Claude 3.5 Sonnet v2',
      size: [8192, K200],
      price: [0.003, 0.015],
      flags: ['images', 'legacy'],
      geos: ['us', 'apac'],
    },
    'anthropic.claude-3-5-haiku-20241022-v1:0': {
      name: 'Claude 3.5 Haiku',
      size: [8192, K200],
      price: [0.0008, 0.004],
      flags: ['legacy'],
      geos: US,
    },
    'anthropic.claude-3-7-sonnet-20250219-v1:0': {
      name: 'Claude 3.7 Sonnet',
      size: [64_000, K200],
      price: [0.003, 0.015],
      flags: ['images', 'legacy', 'reasoning', 'profile-only'],
      geos: US_EU_APAC,
    },
    'anthropic.claude-sonnet-4-20250514-v1:0': {
      name: 'Claude Sonnet 4',
      size: [64_000, K200],
      price: [0.003, 0.015],
      flags: ['images', 'reasoning', 'profile-only'],
      geos: ['us', 'eu', 'apac', 'global'],
    },
    'anthropic.claude-opus-4-20250514-v1:0': {
      name: 'Claude Opus 4',
      size: [32_000, K200],
      price: [0.015, 0.075],
      flags: ['images', 'legacy', 'reasoning', 'profile-only'],
      geos: US,
    },
    'anthropic.claude-opus-4-1-20250805-v1:0': {
      name: 'Claude Opus 4.1',
      size: [32_000, K200],
      price: [0.015, 0.075],
      flags: ['images', 'reasoning', 'profile-only'],
      geos: US,
    },
    'anthropic.claude-sonnet-4-5-20250929-v1:0': {
      name: 'Claude Sonnet 4.5',
      size: [64_000, K200],
      price: [0.003, 0.015],
      flags: ['images', 'reasoning', 'profile-only', 'geography-premium'],
      geos: CLAUDE_45,
    },
    'anthropic.claude-haiku-4-5-20251001-v1:0': {
      name: 'Claude Haiku 4.5',
      size: [64_000, K200],
      price: [0.001, 0.005],
      flags: ['images', 'reasoning', 'profile-only', 'geography-premium'],
      geos: CLAUDE_45,
    },
    'anthropic.claude-opus-4-5-20251101-v1:0': {
      name: 'Claude Opus 4.5',
      size: [64_000, K200],
      price: [0.005, 0.025],
      flags: ['images', 'reasoning', 'profile-only', 'geography-premium'],
      geos: CLAUDE_45,
    },
  }),
  ...provider('Meta', 'llama2', {
    'meta.llama2-13b-chat-v1': {
      name: 'Llama 2 13B Chat',
      size: [2048, 4096],
      price: [0.00075, 0.001],
      flags: ['legacy', 'no-tools', 'unchecked-price'],
    },
    'meta.llama2-70b-chat-v1': {
      name: 'Llama 2 70B Chat',
      size: [2048, 4096],
      price: [0.00195, 0.00256],
      flags: ['legacy', 'no-tools', 'unchecked-price'],
    },
  }),
  ...provider('Meta', 'llama3', {
    'meta.llama3-8b-instruct-v1:0': {
      name: 'Llama 3 8B Instruct',
      size: [2048, 8192],
      price: [0.0003, 0.0006],
      flags: ['no-tools', 'unchecked-price'],
    },
    'meta.llama3-70b-instruct-v1:0': {
      name: 'Llama 3 70B Instruct',
      size: [2048, 8192],
      price: [0.00265, 0.0035],
      flags: ['no-tools'],
    },
    'meta.llama3-1-8b-instruct-v1:0': {
      name: 'Llama 3.1 8B Instruct',
      size: [2048, K128],
      price: [0.00022, 0.00022],
      flags: ['unchecked-price'],
      geos: US,
    },
    'meta.llama3-1-70b-instruct-v1:0': {
      name: 'Llama 3.1 70B Instruct',
      size: [2048, K128],
      price: [0.00072, 0.00072],
      flags: ['unchecked-price'],
      geos: US,
    },
    'meta.llama3-1-405b-instruct-v1:0': {
      name: 'Llama 3.1 405B Instruct',
      size: [2048, K128],
      price: [0.0024, 0.0024],
      flags: ['unchecked-price'],
    },
    'meta.llama3-2-1b-instruct-v1:0': {
      name: 'Llama 3.2 1B Instruct',
      size: [2048, K128],
      price: [0.0001, 0.0001],
      flags: ['legacy', 'profile-only', 'no-tools', 'unchecked-price'],
      geos: ['us', 'eu'],
    },
    'meta.llama3-2-3b-instruct-v1:0': {
      name: 'Llama 3.2 3B Instruct',
      size: [2048, K128],
      price: [0.00015, 0.00015],
      flags: ['legacy', 'profile-only', 'no-tools', 'unchecked-price'],
      geos: ['us', 'eu'],
    },
    'meta.llama3-2-11b-instruct-v1:0': {
      name: 'Llama 3.2 11B Vision Instruct',
      size: [2048, K128],
      price: [0.00016, 0.00016],
      flags: ['images', 'legacy', 'profile-only', 'unchecked-price'],
      geos: US,
    },
    'meta.llama3-2-90b-instruct-v1:0': {
      name: 'Llama 3.2 90B Vision Instruct',
      size: [2048, K128],
      price: [0.00072, 0.00072],
      flags: ['images', 'legacy', 'profile-only'],
      geos: US,
    },
    'meta.llama3-3-70b-instruct-v1:0': {
      name: 'Llama 3.3 70B Instruct',
      size: [2048, K128],
      price: [0.00072, 0.00072],
      flags: ['profile-only'],
      geos: US,
    },
  }),
  ...provider('Meta', 'llama4', {
    // AWS announced a 3.5M-token window for Scout on Bedrock (Meta's model takes 10M): unchecked.
    'meta.llama4-scout-17b-instruct-v1:0': {
      name: 'Llama 4 Scout 17B Instruct',
      size: [8192, 3_500_000],
      price: [0.00017, 0.00066],
      flags: ['images', 'profile-only'],
      geos: US,
    },
    'meta.llama4-maverick-17b-instruct-v1:0': {
      name: 'Llama 4 Maverick 17B Instruct',
      size: [8192, 1_000_000],
      price: [0.00024, 0.00097],
      flags: ['images', 'profile-only'],
      geos: US,
    },
  }),
  ...provider('Amazon', 'nova', {
    'amazon.nova-micro-v1:0': {
      name: 'Nova Micro',
      size: [10_000, K128],
      price: [0.000035, 0.00014],
      flags: ['no-documents'],
      geos: US_EU_APAC,
    },
    'amazon.nova-lite-v1:0': {
      name: 'Nova Lite',
      size: [10_000, 300_000],
      price: [0.00006, 0.00024],
      flags: ['images'],
      geos: US_EU_APAC,
    },
    'amazon.nova-pro-v1:0': {
      name: 'Nova Pro',
      size: [10_000, 300_000],
      price: [0.0008, 0.0032],
      flags: ['images'],
      geos: US_EU_APAC,
    },
    'amazon.nova-premier-v1:0': {
      name: 'Nova Premier',
      size: [32_000, 1_000_000],
      price: [0.0025, 0.0125],
      flags: ['images', 'profile-only'],
      geos: US,
    },
  }),
  ...provider('Mistral AI', 'mistral', {
    'mistral.mistral-7b-instruct-v0:2': {
      name: 'Mistral 7B Instruct',
      size: [8192, 32_000],
      price: [0.00015, 0.0002],
      flags: ['no-tools', 'no-system', 'unchecked-price'],
    },
    'mistral.mixtral-8x7b-instruct-v0:1': {
      name: 'Mixtral 8x7B Instruct',
      size: [4096, 32_000],
      price: [0.00045, 0.0007],
      flags: ['no-tools', 'no-system', 'unchecked-price'],
    },
    'mistral.mistral-large-2402-v1:0': {
      name: 'Mistral Large (24.02)',
      size: [8192, 32_000],
      price: [0.004, 0.012],
      flags: ['chat'],
    },
    'mistral.mistral-small-2402-v1:0': {
      name: 'Mistral Small (24.02)',
      size: [8192, 32_000],
      price: [0.001, 0.003],
      flags: ['no-documents'],
    },
    'mistral.mistral-large-2407-v1:0': {
      name: 'Mistral Large (24.07)',
      size: [8192, K128],
      price: [0.002, 0.006],
      flags: ['chat'],
    },
    'mistral.pixtral-large-2502-v1:0': {
      name: 'Pixtral Large (25.02)',
      size: [8192, K128],
      price: [0.002, 0.006],
      flags: ['images', 'profile-only', 'chat'],
      geos: ['us', 'eu'],
    },
  }),
  // No native adapter (their native bodies are OpenAI-style): they run through Converse.
  ...provider('DeepSeek', undefined, {
    'deepseek.r1-v1:0': {
      name: 'DeepSeek-R1',
      size: [32_768, K128],
      price: [0.00135, 0.0054],
      flags: ['reasoning', 'profile-only', 'no-tools'],
      geos: US,
    },
  }),
  ...provider('OpenAI', undefined, {
    'openai.gpt-oss-20b-1:0': {
      name: 'gpt-oss-20b',
      size: [32_768, K128],
      price: [0.00007, 0.0003],
      flags: ['reasoning'],
    },
    'openai.gpt-oss-120b-1:0': {
      name: 'gpt-oss-120b',
      size: [32_768, K128],
      price: [0.00015, 0.0006],
      flags: ['reasoning'],
    },
  }),
];

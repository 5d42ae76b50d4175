import {
  GetFoundationModelAvailabilityCommand,
  ListFoundationModelsCommand,
  paginateListInferenceProfiles,
} from '@aws-sdk/client-bedrock';
import type { BedrockClient, InferenceProfileSummary } from '@aws-sdk/client-bedrock';
import { joinCatalog, staticCatalog } from '../cells/models/listing.ts';
import type { Catalog, CatalogModel } from '../cells/models/listing.ts';

export interface CatalogServiceOptions {
  /** The control plane client of the backend: same credentials, Region and endpoint. */
  client: BedrockClient | null;
  region: string;
  /** Without a client: why there is none, for the static list's note. */
  unavailable?: string;
  /** How many availability calls run at once (one per model). */
  concurrency?: number;
  /** Lines for the console; never given credentials. */
  log?: (line: string) => void;
}

/** An access answer of GetFoundationModelAvailability, in the catalog's words. */
function accessOf(answer: {
  authorizationStatus?: string;
  entitlementAvailability?: string;
  regionAvailability?: string;
}): CatalogModel['access'] {
  const { authorizationStatus: authorized, entitlementAvailability: entitled } = answer;
  if (authorized === 'NOT_AUTHORIZED' || entitled === 'NOT_AVAILABLE') return 'not-granted';
  if (answer.regionAvailability === 'NOT_AVAILABLE') return 'not-granted';
  return authorized === 'AUTHORIZED' && entitled === 'AVAILABLE' ? 'granted' : 'unknown';
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
}

/**
 * The live model catalog of one backend: Bedrock's control plane asked for the Region's
 * foundation models, its system inference profiles and each text model's availability, joined
 * with the project's facts. Read once and cached; `refresh()` reads it again. When the control
 * plane cannot be read the static list stands in and says why; a failed refresh keeps the last
 * list that was read, saying so.
 */
export class CatalogService {
  private readonly options: CatalogServiceOptions;
  private current: Promise<Catalog> | undefined;
  private lastLive: Catalog | undefined;
  private last: Catalog | undefined;

  constructor(options: CatalogServiceOptions) {
    this.options = options;
  }

  /** The cached catalog, read on first use. */
  get(): Promise<Catalog> {
    return (this.current ??= this.load());
  }

  /** The catalog last read, without asking for one (undefined before the first has come). */
  peek(): Catalog | undefined {
    return this.last;
  }

  /** Reads the catalog again from the control plane. */
  refresh(): Promise<Catalog> {
    this.current = this.load();
    return this.current;
  }

  private load(): Promise<Catalog> {
    return this.read().then((catalog) => (this.last = catalog));
  }

  private async read(): Promise<Catalog> {
    const { client, region } = this.options;
    if (!client) return staticCatalog(region, `${this.options.unavailable ?? 'no backend'}.`);
    try {
      const [listed, profiles] = await Promise.all([
        client.send(new ListFoundationModelsCommand({})),
        this.profiles(client),
      ]);
      const foundationModels = listed.modelSummaries ?? [];
      const access = await this.access(
        client,
        foundationModels.flatMap((m) =>
          m.modelId && (m.outputModalities ?? []).includes('TEXT') ? [m.modelId] : [],
        ),
      );
      const catalog = joinCatalog({
        region,
        fetchedAt: new Date().toISOString(),
        foundationModels,
        profiles,
        access,
      });
      this.lastLive = catalog;
      return catalog;
    } catch (error) {
      const reason = reasonOf(error);
      this.options.log?.(`Model catalog: the control plane could not be read (${reason}).`);
      if (this.lastLive) {
        return {
          ...this.lastLive,
          note: `${this.lastLive.note} Reading it again failed (${reason}): this is the list of ${this.lastLive.fetchedAt}.`,
        };
      }
      return staticCatalog(region, `Bedrock's control plane could not be read (${reason}).`);
    }
  }

  private async profiles(client: BedrockClient): Promise<InferenceProfileSummary[]> {
    const all: InferenceProfileSummary[] = [];
    for await (const page of paginateListInferenceProfiles({ client }, {})) {
      all.push(...(page.inferenceProfileSummaries ?? []));
    }
    return all;
  }

  /**
   * Each model's access, asked one model at a time as the API requires. A model whose answer
   * fails (no permission for this call, a throttle) is `unknown`, not a failed catalog.
   */
  private async access(
    client: BedrockClient,
    modelIds: string[],
  ): Promise<Map<string, CatalogModel['access']>> {
    const access = new Map<string, CatalogModel['access']>();
    await eachLimited(modelIds, this.options.concurrency ?? 6, async (modelId) => {
      try {
        const answer = await client.send(new GetFoundationModelAvailabilityCommand({ modelId }));
        access.set(modelId, accessOf(answer));
      } catch {
        access.set(modelId, 'unknown');
      }
    });
    return access;
  }
}

import { z } from 'zod';
import { toNotebook } from '../cells/notebook.ts';
import type { Notebook } from '../cells/notebook.ts';
import { CatalogSchema } from '../cells/models/listing.ts';
import type { Catalog, CatalogModel } from '../cells/models/listing.ts';
import { RunRecordSchema } from '../cells/run-record.ts';

/**
 * The browser's side of the local server's HTTP API. Every response is parsed at this boundary,
 * so the elements only ever see well-formed values.
 */

/** Why credentials failed: what the page shows, with the command to run where there is one. */
export const CredentialProblemSchema = z.object({
  kind: z.enum(['profile-not-found', 'sso-expired', 'no-credentials', 'failed']),
  message: z.string(),
  profile: z.string().nullable().optional(),
  command: z.string().optional(),
});
export type CredentialProblem = z.infer<typeof CredentialProblemSchema>;

export const StatusSchema = z.union([
  z.object({
    /** `none`: a profile was asked for and its credentials failed; `problem` says why. */
    backend: z.enum(['aws', 'emulator', 'none']),
    region: z.string(),
    profile: z.string().nullable(),
    /** How calls are authorized: a Bedrock API key, credentials, the emulator's own keys. */
    auth: z.enum(['api-key', 'credentials', 'emulator']).nullable(),
    synthetic: z.boolean(),
    problem: CredentialProblemSchema.nullable(),
  }),
  // Just after a start, while the server asks the credential chain.
  z.object({ backend: z.literal('checking'), region: z.null(), profile: z.null() }),
]);
/** Which backend the server talks to; shown in the status bar at all times. */
export type Status = z.infer<typeof StatusSchema>;

/** A model as the page offers it: the catalog's entry (see `cells/models/listing.ts`). */
export type ModelInfo = CatalogModel;

const ProfilesSchema = z.object({
  profiles: z.array(z.object({ name: z.string(), region: z.string().nullable() })),
  regions: z.array(z.object({ id: z.string(), name: z.string() })),
  /** A Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) is set: it authorizes instead of a profile. */
  apiKey: z.boolean(),
});
/** The named profiles of the shared AWS files (names and Regions only) and Bedrock's Regions. */
export type Profiles = z.infer<typeof ProfilesSchema>;

/** What the page asks the server to switch to. */
export interface BackendChoice {
  backend: 'aws' | 'emulator';
  profile: string | null;
  region: string | null;
}
const NotebookListSchema = z.object({
  notebooks: z.array(
    z.object({
      name: z.string(),
      title: z.string().nullable(),
      modified: z.string(),
      error: z.string().nullable(),
    }),
  ),
});
/** One notebook in the workspace; a file that does not parse is listed with its `error`. */
export type NotebookEntry = z.infer<typeof NotebookListSchema>['notebooks'][number];
const NotebookFileSchema = z.object({
  name: z.string(),
  text: z.string(),
  notebook: z.unknown(),
  version: z.string(),
  modified: z.string(),
});
const SavedSchema = z.object({ name: z.string(), version: z.string(), modified: z.string() });
/** What a save answers: the file's new version, which the next save must name. */
export type Saved = z.infer<typeof SavedSchema>;
const RenamedSchema = z.object({ name: z.string() });
const RunsSchema = z.object({ records: z.array(RunRecordSchema), warnings: z.array(z.string()) });
const WireEventsSchema = z.object({
  runId: z.string(),
  complete: z.boolean(),
  events: z.array(z.object({ at: z.number(), event: z.unknown() })),
  dropped: z.number(),
});
/** Bedrock's events of one run, as the server kept them (`at`: ms after the server began it). */
export type WireEvents = z.infer<typeof WireEventsSchema>;

/** A stored notebook as opened: the parsed notebook plus the version a later save must name. */
export interface NotebookFile {
  name: string;
  text: string;
  notebook: Notebook;
  version: string;
  modified: string;
}

/** A failure of the API itself (not of a model run), with what the server said about it. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly hint = '',
    /** The answer's JSON body, for the fields some errors carry (a 409's current version). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The file changed on disk (or appeared, or vanished) since the version a save named. */
export class ConflictError extends ApiError {
  /** The file's version on disk now; null when there is no such file any more. */
  get currentVersion(): string | null {
    const version = this.body.version;
    return typeof version === 'string' ? version : null;
  }
}

/** A notebook file that exists but does not parse (HTTP 422): its text and the parse error. */
export class UnreadableNotebookError extends ApiError {
  /** The file's text as it is on disk. */
  get text(): string {
    return typeof this.body.text === 'string' ? this.body.text : '';
  }
  get version(): string | null {
    return typeof this.body.version === 'string' ? this.body.version : null;
  }
}

export async function errorFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let message = text || response.statusText || `HTTP ${response.status}`;
  let hint = '';
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) json = parsed as Record<string, unknown>;
    const body = z
      .object({
        error: z
          .union([
            z.string(),
            z.object({ message: z.string().optional(), hint: z.string().optional() }),
          ])
          .optional(),
        message: z.string().optional(),
        hint: z.string().optional(),
      })
      .parse(parsed);
    const error = body.error;
    if (typeof error === 'string') message = error;
    else if (error?.message) message = error.message;
    else if (body.message) message = body.message;
    hint = (typeof error === 'object' ? error.hint : undefined) ?? body.hint ?? '';
  } catch {
    // Not JSON: the text itself is the message.
  }
  const Kind =
    response.status === 409
      ? ConflictError
      : response.status === 422
        ? UnreadableNotebookError
        : ApiError;
  return new Kind(message, response.status, hint, json);
}

/** Settles once the token of the page's address, if it had one, is traded for the cookie. */
let signedIn: Promise<unknown> = Promise.resolve();

/**
 * Trades the token of the address the server printed for its session cookie, as Jupyter's page
 * does; every API request waits for it. A wrong token is not reported here: the requests then
 * get the server's 401, which says what to do.
 */
/** Settles once the page has signed in: every request of the page's waits for it. */
export function whenSignedIn(): Promise<unknown> {
  return signedIn;
}

export function signIn(token: string): void {
  signedIn = fetch('/api/session', {
    method: 'POST',
    headers: { authorization: `token ${token}` },
  }).catch(() => undefined);
}

/**
 * Jupyter's XSRF header for a change: the `_xsrf` cookie's value, which only the server's own
 * pages can read, so a form or script of another site cannot send it.
 */
export function xsrfHeader(): Record<string, string> {
  const cookie = document.cookie.split(/;\s*/).find((c) => c.startsWith('_xsrf='));
  return cookie ? { 'x-xsrftoken': cookie.slice('_xsrf='.length) } : {};
}

export async function getJson<T>(
  path: string,
  schema: z.ZodType<T>,
  signal?: AbortSignal,
): Promise<T> {
  await signedIn;
  const response = await fetch(path, {
    signal: signal ?? null,
    headers: { accept: 'application/json' },
    cache: 'no-store',
  });
  if (!response.ok) throw await errorFrom(response);
  return schema.parse(await response.json());
}

async function sendJson<T>(
  method: string,
  path: string,
  body: unknown,
  schema: z.ZodType<T>,
): Promise<T> {
  await signedIn;
  const response = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json', ...xsrfHeader() },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return schema.parse(undefined);
  return schema.parse(await response.json());
}

const notebookPath = (name: string) => `/api/notebooks/${encodeURIComponent(name)}`;

/** The backend; with `wait`, answered once it is chosen rather than while it is `checking`. */
export function getStatus(signal?: AbortSignal, wait = false): Promise<Status> {
  return getJson(wait ? '/api/status?wait' : '/api/status', StatusSchema, signal);
}

/** The backend's model catalog: Bedrock's own list, or the static one saying why. */
export function getModels(signal?: AbortSignal): Promise<Catalog> {
  return getJson('/api/models', CatalogSchema, signal);
}

/** Reads the catalog again from the backend's control plane. */
export function refreshModels(): Promise<Catalog> {
  return sendJson('POST', '/api/models/refresh', undefined, CatalogSchema);
}

export function getProfiles(signal?: AbortSignal): Promise<Profiles> {
  return getJson('/api/profiles', ProfilesSchema, signal);
}

/**
 * Switches the server's backend without a restart. A profile whose credentials fail is an
 * ApiError naming the problem (its `body.problem`), and the backend in use stays.
 */
export function switchBackend(choice: BackendChoice): Promise<Status> {
  return sendJson('POST', '/api/backend', choice, StatusSchema);
}

export async function listNotebooks(signal?: AbortSignal): Promise<NotebookEntry[]> {
  return (await getJson('/api/notebooks', NotebookListSchema, signal)).notebooks;
}

/**
 * Opens a stored notebook. Throws an UnreadableNotebookError (with the file's text) when the file
 * does not parse, and a ZodError naming the field if the server sent an invalid notebook.
 */
export async function getNotebook(name: string, signal?: AbortSignal): Promise<NotebookFile> {
  const file = await getJson(notebookPath(name), NotebookFileSchema, signal);
  return { ...file, notebook: toNotebook(file.notebook) };
}

/**
 * Saves a notebook if the file on disk is still at `version` (null: creates it, and it must not
 * exist yet). Send `{ text }` instead of `{ notebook }` to have the server parse a file's text
 * (an upload); a text that does not parse is a 400 naming its line. A stale version is a
 * ConflictError carrying the current one.
 */
export function saveNotebook(
  name: string,
  content: { notebook: Notebook } | { text: string },
  version: string | null,
): Promise<Saved> {
  return sendJson('PUT', notebookPath(name), { ...content, version }, SavedSchema);
}

export async function deleteNotebook(name: string): Promise<void> {
  await sendJson('DELETE', notebookPath(name), undefined, z.unknown());
}

/** Renames a notebook (and its run records); a ConflictError when `to` is taken. */
export async function renameNotebook(name: string, to: string): Promise<string> {
  return (await sendJson('POST', `${notebookPath(name)}/rename`, { to }, RenamedSchema)).name;
}

/**
 * Bedrock's events of a run of this server's, as received; an ApiError 404 once the server no
 * longer holds them (it keeps its latest runs').
 */
export function getWireEvents(runId: string, signal?: AbortSignal): Promise<WireEvents> {
  return getJson(`/api/run/${encodeURIComponent(runId)}/wire`, WireEventsSchema, signal);
}

const LatestRunsSchema = RunsSchema.extend({ counts: z.record(z.string(), z.number()) });
const HistorySchema = z.object({ records: z.array(RunRecordSchema), total: z.number() });

/**
 * Each history's latest run of a notebook (oldest first), how many runs each history has (by
 * `runKeyId`), and warnings: what a page shows when it opens, read through the server's index
 * of the run log.
 */
export function getLatestRuns(
  name: string,
  signal?: AbortSignal,
  /** Wait first for the notebook's grids that are ending (after a Stop) to record their calls. */
  settled = false,
): Promise<z.infer<typeof LatestRunsSchema>> {
  return getJson(
    `${notebookPath(name)}/runs?latest${settled ? '&settled' : ''}`,
    LatestRunsSchema,
    signal,
  );
}

/** The runs of one history (a `runKeyId`), oldest first: the newest few hundred. */
export function getRunHistory(name: string, key: string): Promise<z.infer<typeof HistorySchema>> {
  return getJson(`${notebookPath(name)}/runs?key=${encodeURIComponent(key)}`, HistorySchema);
}

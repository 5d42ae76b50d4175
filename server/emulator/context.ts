import type { EventEmitter } from 'node:events';
import type { Credentials } from './sigv4.ts';

/** The record of one streamed answer, shared with 'stream-start' / 'token' / 'stream-end'. */
export interface StreamRecord {
  id: number;
  operation: 'ConverseStream' | 'InvokeModelWithResponseStream';
  modelId: string;
  tokensSent: number;
  totalTokens: number;
  outcome: 'streaming' | 'complete' | 'client-closed' | 'fault';
}

/** Settings and shared state every handler reads. */
export interface EmulatorContext {
  speed: number;
  deny: ReadonlySet<string>;
  credentials: Credentials;
  /** The Bedrock API key accepted as `Authorization: Bearer …`. */
  bearerToken: string;
  events: EventEmitter;
  nextStreamId(): number;
  /** How often each `times=N` fault has fired, by model and message (see `faults.ts`). */
  faultCounts: Map<string, number>;
}

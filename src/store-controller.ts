import { ContextConsumer } from '@lit/context';
import type { Context } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FilesChangeEvent, filesContext } from './notebook-files.ts';
import type { NotebookFiles } from './notebook-files.ts';
import {
  BackendChangeEvent,
  NotebookChangeEvent,
  RunChangeEvent,
  storeContext,
} from './notebook-store.ts';
import type { NotebookStore } from './notebook-store.ts';

type Host = ReactiveControllerHost & HTMLElement;

/**
 * Gives an element one of the page's state owners (from `@lit/context`) and listens to some of its
 * events while the element is connected, moving the listeners if the context provides another.
 */
class StateController<T extends EventTarget> implements ReactiveController {
  /** The state owner, once the context has provided it. */
  protected source: T | undefined;
  private attached: T | undefined;

  constructor(
    host: Host,
    context: Context<unknown, T>,
    private readonly listeners: readonly (readonly [string, (event: Event) => void])[],
    /** The state owner itself, for its owner (which cannot consume its own context). */
    source?: T,
  ) {
    host.addController(this);
    if (source) {
      this.source = source;
      return;
    }
    new ContextConsumer(host, {
      context,
      subscribe: true,
      callback: (value) => {
        this.detach();
        this.source = value;
        if (host.isConnected) this.attach();
        host.requestUpdate();
      },
    });
  }

  hostConnected(): void {
    this.attach();
  }

  hostDisconnected(): void {
    this.detach();
  }

  private attach(): void {
    if (!this.source || this.attached === this.source) return;
    this.detach();
    this.attached = this.source;
    for (const [name, listener] of this.listeners) this.source.addEventListener(name, listener);
  }

  private detach(): void {
    for (const [name, listener] of this.listeners) {
      this.attached?.removeEventListener(name, listener);
    }
    this.attached = undefined;
  }
}

export interface StoreControllerOptions {
  /** Re-render when the notebook is edited. */
  notebook?: boolean;
  /** Re-render when runs change: all of them, or only those this returns true for. */
  runs?: boolean | ((cellId: string | undefined) => boolean);
  /** Re-render when the backend or its model catalog changes. */
  backend?: boolean;
}

/**
 * Gives an element the page's notebook store and re-renders it when the parts of the store it
 * shows change. Listeners live only while the element is connected.
 */
export class StoreController extends StateController<NotebookStore> {
  constructor(host: Host, options: StoreControllerOptions, store?: NotebookStore) {
    const filter = options.runs;
    const onRun = (event: Event): void => {
      const cellId = event instanceof RunChangeEvent ? event.cellId : undefined;
      if (filter === true || (typeof filter === 'function' && filter(cellId))) {
        host.requestUpdate();
      }
    };
    super(
      host,
      storeContext,
      [
        ...(options.notebook
          ? [[NotebookChangeEvent.eventName, () => host.requestUpdate()] as const]
          : []),
        ...(filter ? [[RunChangeEvent.eventName, onRun] as const] : []),
        ...(options.backend
          ? [[BackendChangeEvent.eventName, () => host.requestUpdate()] as const]
          : []),
      ],
      store,
    );
  }

  /** The store, once the context has been provided. */
  get store(): NotebookStore | undefined {
    return this.source;
  }
}

/**
 * Gives an element the page's notebook files and re-renders it whenever their state changes
 * (save state, conflict), then calls `onChange` if given. Listeners live only while the element
 * is connected.
 */
export class FilesController extends StateController<NotebookFiles> {
  constructor(host: Host, onChange?: () => void) {
    super(host, filesContext, [
      [
        FilesChangeEvent.eventName,
        () => {
          host.requestUpdate();
          onChange?.();
        },
      ],
    ]);
  }

  /** The notebook files, once the context has provided them. */
  get files(): NotebookFiles | undefined {
    return this.source;
  }
}

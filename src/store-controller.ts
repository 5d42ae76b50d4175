import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { NotebookChangeEvent, RunChangeEvent, storeContext } from './notebook-store.ts';
import type { NotebookStore } from './notebook-store.ts';

export interface StoreControllerOptions {
  /** Re-render when the notebook is edited. */
  notebook?: boolean;
  /** Re-render when runs change: all of them, or only those this returns true for. */
  runs?: boolean | ((cellId: string | undefined) => boolean);
}

/**
 * Gives an element the page's notebook store (from `@lit/context`) and re-renders it when the
 * parts of the store it shows change. Listeners live only while the element is connected.
 */
export class StoreController implements ReactiveController {
  /** The store, once the context has been provided. */
  store: NotebookStore | undefined;
  private attached: NotebookStore | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: StoreControllerOptions,
    /** The store itself, for its owner (which cannot consume its own context). */
    store?: NotebookStore,
  ) {
    host.addController(this);
    if (store) {
      this.store = store;
      return;
    }
    new ContextConsumer(host, {
      context: storeContext,
      subscribe: true,
      callback: (store) => {
        this.detach();
        this.store = store;
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

  private readonly onNotebook = (): void => this.host.requestUpdate();

  private readonly onRun = (event: Event): void => {
    const filter = this.options.runs;
    const cellId = event instanceof RunChangeEvent ? event.cellId : undefined;
    if (filter === true || (typeof filter === 'function' && filter(cellId))) {
      this.host.requestUpdate();
    }
  };

  private attach(): void {
    if (!this.store || this.attached === this.store) return;
    this.detach();
    this.attached = this.store;
    if (this.options.notebook) {
      this.store.addEventListener(NotebookChangeEvent.eventName, this.onNotebook);
    }
    if (this.options.runs) this.store.addEventListener(RunChangeEvent.eventName, this.onRun);
  }

  private detach(): void {
    this.attached?.removeEventListener(NotebookChangeEvent.eventName, this.onNotebook);
    this.attached?.removeEventListener(RunChangeEvent.eventName, this.onRun);
    this.attached = undefined;
  }
}

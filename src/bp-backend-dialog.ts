import { LitElement, css, html, nothing } from 'lit';
import { ApiError, CredentialProblemSchema, getProfiles } from './api.ts';
import type { CredentialProblem, Profiles } from './api.ts';
import { AppNoticeEvent } from './bp-notifier.ts';
import { dialogHead } from './dialog.ts';
import { controlStyles, dialogStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';

type Kind = 'aws' | 'emulator';

/** Where the dialog's choice stands while it is open. */
interface Draft {
  kind: Kind;
  /** As typed; empty: the default credential chain. */
  profile: string;
  /** Empty: the profile's Region. */
  region: string;
}

/**
 * Chooses where runs go, without a restart: Amazon Bedrock with a named profile of the shared
 * AWS files (or the default credential chain, or a Bedrock API key when one is set) in a Region
 * where Bedrock runs, or the local emulator, whose answers are synthetic. When the credentials
 * fail the dialog says exactly why (a profile that is not there, an SSO session to log in to
 * again, no credentials at all) and the backend in use stays.
 */
export class BpBackendDialog extends LitElement {
  static override properties = {
    draft: { state: true },
    profiles: { state: true },
    problem: { state: true },
    busy: { state: true },
  };
  declare private draft: Draft;
  declare private profiles: Profiles | undefined;
  declare private problem: CredentialProblem | string | undefined;
  declare private busy: boolean;

  private readonly state = new StoreController(this, { backend: true });

  static override styles = [
    controlStyles,
    dialogStyles,
    css`
      dialog {
        --bp-dialog-width: 560px;
      }
      fieldset {
        border: 0;
        margin: 0 0 12px;
        padding: 0;
      }
      legend,
      label.field {
        display: block;
        font-weight: 600;
        margin-bottom: 4px;
      }
      .choice {
        display: flex;
        align-items: center;
        gap: 6px;
        margin: 2px 0;
      }
      .row {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 12px;
        margin-bottom: 12px;
      }
      .row input,
      .row select {
        box-sizing: border-box;
        width: 100%;
      }
      .note {
        margin: 0 0 8px;
        font-size: 13px;
        color: var(--bp-muted);
      }
      .problem {
        margin: 0 0 8px;
        padding: 8px 12px;
        border-radius: 6px;
        background: var(--bp-danger-soft);
        border: 1px solid var(--bp-danger);
        overflow-wrap: anywhere;
      }
      code {
        font-family: var(--bp-mono);
      }
    `,
  ];

  constructor() {
    super();
    this.draft = { kind: 'aws', profile: '', region: '' };
    this.busy = false;
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  /** Opens the dialog on the backend in use, with the profiles of the shared files read afresh. */
  show(): void {
    const status = this.state.store?.status;
    const live = status && status.backend !== 'checking' ? status : undefined;
    this.draft = {
      kind: live?.backend === 'emulator' ? 'emulator' : 'aws',
      profile: live?.profile ?? '',
      region: live?.region ?? '',
    };
    this.problem = undefined;
    getProfiles().then(
      (profiles) => (this.profiles = profiles),
      (error: unknown) => (this.problem = `The profiles could not be read: ${String(error)}`),
    );
    void this.updateComplete.then(() => this.dialog?.showModal());
  }

  private async apply(): Promise<void> {
    const store = this.state.store;
    if (!store) return;
    const { kind, profile, region } = this.draft;
    this.busy = true;
    this.problem = undefined;
    try {
      await store.switchBackend({
        backend: kind,
        profile: kind === 'aws' && profile.trim() ? profile.trim() : null,
        region: region || null,
      });
      this.dialog?.close();
      const status = store.status;
      if (status && status.backend !== 'checking') {
        this.dispatchEvent(
          new AppNoticeEvent(
            status.backend === 'emulator'
              ? `Runs now go to the local emulator (${status.region}): its answers are synthetic.`
              : `Runs now go to Amazon Bedrock in ${status.region}.`,
          ),
        );
      }
    } catch (error) {
      const problem =
        error instanceof ApiError ? CredentialProblemSchema.safeParse(error.body.problem) : null;
      this.problem = problem?.success
        ? problem.data
        : error instanceof Error
          ? error.message
          : String(error);
    } finally {
      this.busy = false;
    }
  }

  private set(patch: Partial<Draft>): void {
    this.draft = { ...this.draft, ...patch };
  }

  private renderProblem() {
    const problem = this.problem;
    if (!problem) return nothing;
    if (typeof problem === 'string') return html`<p class="problem" role="alert">${problem}</p>`;
    return html`<div class="problem" role="alert">
      <strong
        >${problem.kind === 'sso-expired' ? 'Log in again' : 'Cannot use this profile'}</strong
      >
      <p>${problem.message}</p>
      ${problem.command ? html`<p>Run <code>${problem.command}</code> in a terminal.</p>` : nothing}
      <p>Or choose the local emulator above (its answers are synthetic).</p>
    </div>`;
  }

  protected override render() {
    const { kind, profile, region } = this.draft;
    const profiles = this.profiles;
    const regions = profiles?.regions ?? [];
    const aws = kind === 'aws';
    return html`<dialog aria-labelledby="backend-title" @close=${() => (this.problem = undefined)}>
      ${dialogHead('backend-title', 'Backend', () => this.dialog?.close())}
      <div class="dialog-body">
        <fieldset>
          <legend>Where runs go</legend>
          <label class="choice"
            ><input
              type="radio"
              name="kind"
              .checked=${aws}
              @change=${() => this.set({ kind: 'aws' })}
            />
            Amazon Bedrock</label
          >
          <label class="choice"
            ><input
              type="radio"
              name="kind"
              .checked=${!aws}
              @change=${() => this.set({ kind: 'emulator' })}
            />
            Local emulator (synthetic answers)</label
          >
        </fieldset>
        <div class="row">
          <div>
            <label class="field" for="profile">Profile</label>
            <input
              id="profile"
              type="text"
              list="profiles"
              autocomplete="off"
              spellcheck="false"
              placeholder="default credential chain"
              ?disabled=${!aws}
              .value=${profile}
              @input=${(e: Event) => this.set({ profile: (e.target as HTMLInputElement).value })}
            />
            <datalist id="profiles">
              ${(profiles?.profiles ?? []).map(
                (p) => html`<option value=${p.name}>${p.region ?? 'no Region set'}</option>`,
              )}
            </datalist>
          </div>
          <div>
            <label class="field" for="region">Region</label>
            <select
              id="region"
              @change=${(e: Event) => this.set({ region: (e.target as HTMLSelectElement).value })}
            >
              <option value="" ?selected=${region === ''}>The profile’s Region</option>
              ${
                region && !regions.some((r) => r.id === region)
                  ? html`<option value=${region} selected>${region}</option>`
                  : nothing
              }
              ${regions.map(
                (r) =>
                  html`<option value=${r.id} ?selected=${r.id === region}>
                    ${r.id} — ${r.name}
                  </option>`,
              )}
            </select>
          </div>
        </div>
        ${
          profiles?.apiKey
            ? html`<p class="note">
                A Bedrock API key is set (<code>AWS_BEARER_TOKEN_BEDROCK</code>): Bedrock calls are
                authorized with it; a profile only sets the Region.
              </p>`
            : nothing
        }
        <p class="note">
          Profiles come from the shared AWS files (names and Regions only). Switching needs no
          restart; runs already streaming finish where they started.
        </p>
        ${this.renderProblem()}
      </div>
      <div class="dialog-foot">
        <button @click=${() => this.dialog?.close()}>Cancel</button>
        <button class="primary" ?disabled=${this.busy} @click=${() => void this.apply()}>
          ${this.busy ? 'Switching…' : 'Switch'}
        </button>
      </div>
    </dialog>`;
  }
}

customElements.define('bp-backend-dialog', BpBackendDialog);

declare global {
  interface HTMLElementTagNameMap {
    'bp-backend-dialog': BpBackendDialog;
  }
}

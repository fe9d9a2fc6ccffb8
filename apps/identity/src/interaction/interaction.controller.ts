import { type IncomingMessage, type ServerResponse } from 'node:http';
import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { errors, type InteractionDetails, type Provider } from 'oidc-provider';
import { CUSTOMER_SCOPE, OPERATOR_SCOPE } from '@drone-delivery/http';
import { IdentityProvider } from '../oidc/identity-provider';
import { IDENTITY_MOUNT_PATH, INTERACTION_PATH } from '../oidc/oidc.constants';
import { consentPage, loginPage, messagePage } from '../pages/identity-pages';
import { type User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { grantedScopes, planConsent } from './consent-plan';

interface Page {
  status: number;
  html: string;
}

/** The interaction is over, or belongs to another sign-in: start again from the application. */
class StaleInteraction extends Error {}

const WRONG_CREDENTIALS = 'The email or password is not right. Check both and try again.';
const MISSING_CREDENTIALS = 'Enter your email and your password.';

/**
 * The pages oidc-provider sends a person to when it needs them (its "interactions"): sign in,
 * then allow the application access. Each answer either shows a page or hands the result back
 * to oidc-provider, which redirects the browser onwards.
 */
@ApiExcludeController()
@Controller(`${IDENTITY_MOUNT_PATH.slice(1)}${INTERACTION_PATH}/:uid`)
export class InteractionController {
  constructor(
    private readonly identity: IdentityProvider,
    private readonly users: UsersService,
  ) {}

  @Get()
  showInteraction(
    @Param('uid') uid: string,
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
  ): Promise<void> {
    return this.answer(response, async () => {
      const interaction = await this.interactionFor(uid, request, response);
      return interaction.prompt.name === 'login'
        ? { status: 200, html: this.loginPageFor(interaction) }
        : this.consentPageFor(interaction);
    });
  }

  @Post('login')
  signIn(
    @Param('uid') uid: string,
    @Body() form: Record<string, unknown>,
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
  ): Promise<void> {
    return this.answer(response, async () => {
      const interaction = await this.interactionFor(uid, request, response);
      if (interaction.prompt.name !== 'login') return this.consentPageFor(interaction);
      const email = textField(form, 'email').trim();
      const password = textField(form, 'password');
      if (!email || !password) {
        return { status: 200, html: this.loginPageFor(interaction, email, MISSING_CREDENTIALS) };
      }
      const user = await this.users.verifyCredentials(email, password);
      if (!user) {
        return { status: 200, html: this.loginPageFor(interaction, email, WRONG_CREDENTIALS) };
      }
      await this.provider.interactionFinished(
        request,
        response,
        { login: { accountId: user.id } },
        { mergeWithLastSubmission: false },
      );
      return undefined;
    });
  }

  @Post('consent')
  decideConsent(
    @Param('uid') uid: string,
    @Body() form: Record<string, unknown>,
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
  ): Promise<void> {
    return this.answer(response, async () => {
      const interaction = await this.interactionFor(uid, request, response);
      if (interaction.prompt.name !== 'consent') {
        return { status: 200, html: this.loginPageFor(interaction) };
      }
      if (textField(form, 'decision') !== 'allow') {
        await this.provider.interactionFinished(
          request,
          response,
          { error: 'access_denied', error_description: 'The user did not allow access.' },
          { mergeWithLastSubmission: false },
        );
        return undefined;
      }
      const user = await this.signedInUser(interaction);
      const grantId = await this.saveGrant(interaction, user);
      await this.provider.interactionFinished(
        request,
        response,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return undefined;
    });
  }

  private get provider(): Provider {
    return this.identity.provider;
  }

  /** The interaction the browser's cookie names, which must be the one in the address. */
  private async interactionFor(
    uid: string,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<InteractionDetails> {
    const interaction = await this.provider.interactionDetails(request, response);
    if (interaction.uid !== uid) throw new StaleInteraction();
    return interaction;
  }

  private async signedInUser(interaction: InteractionDetails): Promise<User> {
    const user = interaction.session && (await this.users.findUser(interaction.session.accountId));
    if (!user) throw new StaleInteraction();
    return user;
  }

  private loginPageFor(interaction: InteractionDetails, email?: string, error?: string): string {
    return loginPage({
      action: `${this.pathOf(interaction)}/login`,
      clientId: String(interaction.params.client_id),
      email,
      error,
    });
  }

  private async consentPageFor(interaction: InteractionDetails): Promise<Page> {
    const user = await this.signedInUser(interaction);
    const plan = planConsent(interaction.prompt.details, user.scope);
    return {
      status: 200,
      html: consentPage({
        action: `${this.pathOf(interaction)}/consent`,
        clientId: String(interaction.params.client_id),
        email: user.email,
        allowed: grantedScopes(plan).map((scope) => describeScope(scope, user)),
      }),
    };
  }

  /** Records what the person allowed (and what they cannot have) in the application's grant. */
  private async saveGrant(interaction: InteractionDetails, user: User): Promise<string> {
    const existing = interaction.grantId && (await this.provider.Grant.find(interaction.grantId));
    const grant =
      existing ||
      new this.provider.Grant({
        accountId: user.id,
        clientId: String(interaction.params.client_id),
      });
    const plan = planConsent(interaction.prompt.details, user.scope);
    if (plan.oidc.granted.length > 0) grant.addOIDCScope(plan.oidc.granted.join(' '));
    if (plan.oidc.rejected.length > 0) grant.rejectOIDCScope(plan.oidc.rejected.join(' '));
    for (const [resource, decision] of Object.entries(plan.resources)) {
      if (decision.granted.length > 0) grant.addResourceScope(resource, decision.granted.join(' '));
      if (decision.rejected.length > 0) {
        grant.rejectResourceScope(resource, decision.rejected.join(' '));
      }
    }
    return grant.save();
  }

  private pathOf(interaction: InteractionDetails): string {
    return `${IDENTITY_MOUNT_PATH}${INTERACTION_PATH}/${encodeURIComponent(interaction.uid)}`;
  }

  /** Shows the page `work` returns; nothing when it has handed the browser back already. */
  private async answer(
    response: ServerResponse,
    work: () => Promise<Page | undefined>,
  ): Promise<void> {
    let page: Page | undefined;
    try {
      page = await work();
    } catch (error) {
      if (!(error instanceof StaleInteraction || error instanceof errors.SessionNotFound))
        throw error;
      page = {
        status: 400,
        html: messagePage(
          'This sign-in has expired',
          'The page you came from is no longer valid. Go back to the application and sign in again.',
        ),
      };
    }
    if (page) sendPage(response, page);
  }
}

function textField(form: Record<string, unknown> | undefined, name: string): string {
  const value = form?.[name];
  return typeof value === 'string' ? value : '';
}

function describeScope(scope: string, user: User): string {
  switch (scope) {
    case 'openid':
      return 'Know who you are (your user id)';
    case 'email':
      return `See your email address (${user.email})`;
    case CUSTOMER_SCOPE:
      return `Schedule and follow the deliveries of account ${user.accountId}`;
    case OPERATOR_SCOPE:
      return 'Operate the whole system: every account, delivery and drone';
    default:
      return scope;
  }
}

function sendPage(response: ServerResponse, page: Page): void {
  response.statusCode = page.status;
  response.setHeader('content-type', 'text/html; charset=utf-8');
  // Sign-in pages are never cached, and never framed by another site (clickjacking).
  response.setHeader('cache-control', 'no-store');
  response.setHeader(
    'content-security-policy',
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  );
  response.end(page.html);
}

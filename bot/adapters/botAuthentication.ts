import {
  CallerIdConstants,
  ConfigurationBotFrameworkAuthentication,
  StatusCodes,
  type Activity,
} from 'botbuilder';
// botbuilder's CloudAdapter answers 401 only for this package's AuthenticationError.
import {
  AuthenticationConstants,
  AuthenticationError,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
} from 'botframework-connector';

export interface BotAuthenticationSettings {
  MicrosoftAppId: string;
  MicrosoftAppPassword: string;
  MicrosoftAppTenantId: string;
  MicrosoftAppType: string;
  /**
   * Where channel (and Emulator) tokens' signing keys are published: an OpenID metadata
   * document whose `jwks_uri` lists them. Empty: Azure Bot Service's public one. Operators
   * behind an egress proxy mirror it; tests serve their own with a test key.
   */
  openIdMetadataUrl?: string;
}

/** jsonwebtoken's own failures (bad signature, wrong algorithm, malformed, not yet valid). */
const isTokenError = (err: unknown): boolean =>
  err instanceof Error &&
  ['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError'].includes(err.name);

const unauthorized = (err: unknown): unknown =>
  isTokenError(err)
    ? new AuthenticationError('Unauthorized: the token is not valid', StatusCodes.UNAUTHORIZED)
    : err;

/**
 * Bot Framework authentication for /api/messages. botbuilder answers 401 for the failures it
 * recognises but lets some token errors through as 500 (a forged signature, `alg: none`);
 * here every token the Bot Framework would not have issued is a 401.
 */
export class BotAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(settings: BotAuthenticationSettings) {
    const metadataUrl = settings.openIdMetadataUrl;
    super({
      MicrosoftAppId: settings.MicrosoftAppId,
      MicrosoftAppPassword: settings.MicrosoftAppPassword,
      MicrosoftAppTenantId: settings.MicrosoftAppTenantId,
      MicrosoftAppType: settings.MicrosoftAppType || 'MultiTenant',
      // Setting one endpoint makes botbuilder expect them all, so the public cloud's values
      // are spelled out with only the metadata replaced.
      ...(metadataUrl && {
        ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
        ToBotFromEmulatorOpenIdMetadataUrl: metadataUrl,
        ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
        ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
        ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
        OAuthUrl: AuthenticationConstants.OAuthUrl,
        CallerId: CallerIdConstants.PublicAzureChannel,
        ValidateAuthority: true,
      }),
    });
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (err) {
      throw unauthorized(err);
    }
  }

  override async authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateStreamingRequest(authHeader, channelIdHeader);
    } catch (err) {
      throw unauthorized(err);
    }
  }

  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    try {
      return await super.authenticateChannelRequest(authHeader);
    } catch (err) {
      throw unauthorized(err);
    }
  }
}

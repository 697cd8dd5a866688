import {
  ActivityHandler,
  ActivityTypes,
  EventFactory,
  TurnContext,
  type ConversationState,
  type StatePropertyAccessor,
} from 'botbuilder';
import type {
  KnowledgeBase,
  MatchCandidate,
  MatchResult,
  UnansweredOutcome,
} from '../../knowledge';
import type {
  HandoffService,
  HandoffReason,
  HandoffTicket,
  OpenTicketBrief,
  OpenTicketResult,
} from '../../handoff';
import { AlreadyRatedError } from '../../handoff';
import type { Logger } from '../infrastructure/logger';
import { detectFrustration } from './frustration';
import { detectLocale, supportedLocaleOf } from './localeDetector';
import {
  localeOfPhrase,
  smallTalkIntentIds,
  withRecognizedIntent,
  withoutSmallTalk,
} from './systemIntents';
import {
  answerMessage,
  clarifyMessage,
  describeWait,
  offerHumanMessage,
  t,
  textMessage,
  waitingAnswerMessage,
  type ButtonValue,
} from './replies';
import { decideTurn, decideWaitingTurn, isSensitive } from './turnPolicy';
import { parseButtonValue } from './buttonValue';
import type { BotMetrics } from '../infrastructure/metrics';

/** What the bot remembers between turns of one conversation. */
/** The event the customer page sends when the customer picks another language (value: locale). */
export const localeEventName = 'askdesk.locale';

export interface ConversationMemory {
  locale?: string;
  misses: number;
  /** The last few customer messages, for repetition (frustration) detection. */
  recentTexts: string[];
}

export interface FaqBotSettings {
  supportedLocales: readonly string[];
  defaultLocale: string;
  missLimit: number;
  /** Longer messages are matched on their first `maxMessageChars` characters. */
  maxMessageChars: number;
  handoffMode: 'internal' | 'external';
  /** IANA zone in which "we are back at …" is told (the default queue's). */
  timeZone: string;
  /** Entries carrying one of these tags are answered and also handed to a person, with priority. */
  sensitiveTags: readonly string[];
}

const isSmallTalk = (id: string): boolean => (smallTalkIntentIds as readonly string[]).includes(id);

export interface FaqBotDeps {
  kb: KnowledgeBase;
  handoff: HandoffService;
  /** Queue that "supervisor" requests go to. */
  supervisorQueue: string;
  conversationState: ConversationState;
  settings: FaqBotSettings;
  logger: Logger;
  metrics?: BotMetrics;
}

/**
 * The customer-facing bot. It translates activities into calls on knowledge/ and handoff/:
 * every message is recorded in the transcript; while an agent owns the conversation the bot
 * stays silent; while the customer waits it answers FAQs without giving up the place in line.
 */
export class FaqBot extends ActivityHandler {
  private readonly memory: StatePropertyAccessor<ConversationMemory>;

  constructor(private readonly deps: FaqBotDeps) {
    super();
    this.memory = deps.conversationState.createProperty<ConversationMemory>('askdesk');
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const locale = this.localeOf(context, await this.recall(context));
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id !== context.activity.recipient?.id) {
          await context.sendActivity(textMessage(locale, t(locale, 'welcome')));
        }
      }
      await next();
    });
    this.onEvent(async (context, next) => {
      if (context.activity.name === 'handoff.status') await this.handleHandoffStatus(context);
      if (context.activity.name === localeEventName) await this.switchLocale(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const memory = await this.recall(context);
    const rawText = (context.activity.text ?? '').trim();
    const locale = this.localeOf(context, memory, rawText);
    memory.locale = locale;
    const conversationId = context.activity.conversation.id;
    // The open ticket is read once a turn; the transcript lines below reuse what it said.
    const ticket = await this.deps.handoff.findOpenTicketBrief(conversationId);
    context.turnState.set(openTicketKey, { openTicketId: ticket?.id ?? null });
    this.recordBotReplies(context, locale);
    await this.deps.handoff.recordLine(
      conversationId,
      { role: 'customer', text: rawText || describeAttachments(context), locale },
      this.knownOpenTicket(context),
    );

    const button = parseButtonValue(context.activity.value);
    if (button) return this.handleButton(context, memory, locale, button, ticket);
    if (!rawText) {
      await context.sendActivity(textMessage(locale, t(locale, 'emptyText')));
      return;
    }
    if (/^[1-5]$/.test(rawText) && !ticket && (await this.rateTyped(context, locale, rawText)))
      return;
    const text = rawText.slice(0, this.deps.settings.maxMessageChars);
    if (text.length < rawText.length) {
      await context.sendActivity(textMessage(locale, t(locale, 'longText')));
    }
    if (ticket) return this.handleWhileTicketOpen(context, locale, text, ticket);
    await this.handleFaqTurn(context, memory, locale, text);
  }

  private async handleFaqTurn(
    context: TurnContext,
    memory: ConversationMemory,
    locale: string,
    text: string,
  ): Promise<void> {
    let result = withRecognizedIntent(await this.match(text, locale), text);
    const top = result.candidates[0];
    if (result.band === 'answer' && top && isSmallTalk(top.id)) {
      // "Good morning, where is my parcel?" asks about the parcel; "thanks for nothing" is
      // not thanks. Only a message that is all small talk gets small talk back.
      const rest = withoutSmallTalk(text, locale);
      if (rest !== '') result = await this.match(rest, locale);
    }
    const frustration = detectFrustration(text, locale, memory.recentTexts);
    memory.recentTexts = [...memory.recentTexts, text].slice(-5);
    const action = decideTurn({
      result,
      misses: memory.misses,
      missLimit: this.deps.settings.missLimit,
      frustration,
    });
    this.deps.metrics?.turns.inc({ outcome: action.kind, locale });
    const unanswered =
      action.kind === 'clarify'
        ? 'clarify'
        : action.kind === 'miss'
          ? 'none'
          : action.kind === 'handoff' && action.reason === 'misses'
            ? 'handoff'
            : null;
    if (unanswered) await this.keepUnanswered(locale, text, unanswered, result);
    const outcome = action.kind === 'answer' ? 'answered' : unanswered;
    if (outcome) context.turnState.set(faqOutcomeKey, outcome);
    switch (action.kind) {
      case 'answer': {
        memory.misses = 0;
        const tags = await this.sendAnswer(context, locale, action.candidate);
        if (isSensitive(tags, this.deps.settings.sensitiveTags)) {
          return this.openTicket(context, locale, 'sensitive_topic', text, [action.candidate]);
        }
        return;
      }
      case 'clarify':
        await context.sendActivity(
          clarifyMessage(
            locale,
            action.candidates.map((c) => c.question),
          ),
        );
        return;
      case 'miss':
        memory.misses = action.misses;
        await context.sendActivity(offerHumanMessage(locale, t(locale, 'noMatch'), 'requested'));
        return;
      case 'handoff':
        memory.misses = 0;
        return this.openTicket(context, locale, action.reason, text, action.candidates);
      case 'status':
        return this.sendStatus(context, locale);
      case 'cancel':
        await context.sendActivity(textMessage(locale, t(locale, 'nothingToCancel')));
        return;
      case 'escalate':
        return this.openTicket(context, locale, 'requested', text, [], this.deps.supervisorQueue);
      case 'smallTalk':
        await context.sendActivity(
          textMessage(locale, t(locale, action.intent === 'greeting' ? 'greeting' : 'thanksReply')),
        );
        return;
    }
  }

  private async handleWhileTicketOpen(
    context: TurnContext,
    locale: string,
    text: string,
    ticket: OpenTicketBrief,
  ): Promise<void> {
    const action = decideWaitingTurn(withRecognizedIntent(await this.match(text, locale), text));
    if (action.kind === 'status') return this.sendStatus(context, locale);
    if (action.kind === 'cancel') return this.cancel(context, locale);
    if (action.kind === 'escalate') return this.escalate(context, locale);
    // The agent sees the message live in the console; the bot must not talk over them.
    if (ticket.status === 'assigned') return;
    if (action.kind === 'answerWhileWaiting') {
      await context.sendActivity(waitingAnswerMessage(locale, action.candidate.answer));
      return;
    }
    const status = await this.deps.handoff.status(context.activity.conversation.id);
    const position = status?.position ?? 1;
    await context.sendActivity(textMessage(locale, t(locale, 'waitingAck', { position })));
  }

  private async handleButton(
    context: TurnContext,
    memory: ConversationMemory,
    locale: string,
    value: ButtonValue,
    ticket: OpenTicketBrief | null,
  ): Promise<void> {
    switch (value.action) {
      case 'feedback':
        this.deps.metrics?.feedback.inc({ helpful: String(value.helpful), locale });
        if (value.helpful || ticket) {
          await context.sendActivity(textMessage(locale, t(locale, 'feedbackThanks')));
          return;
        }
        await context.sendActivity(
          offerHumanMessage(locale, t(locale, 'offerAfterDislike'), 'negative_feedback'),
        );
        return;
      case 'handoff':
        if (ticket) return this.sendStatus(context, locale);
        memory.misses = 0;
        return this.openTicket(context, locale, value.reason, lastQuestion(memory), []);
      case 'decline':
        await context.sendActivity(textMessage(locale, t(locale, 'declined')));
        return;
      case 'solved':
        if (ticket) return this.cancel(context, locale);
        await context.sendActivity(textMessage(locale, t(locale, 'feedbackThanks')));
        return;
      case 'rate':
        return this.rateOnce(context, locale, value.ticketId, value.rating);
    }
  }

  /** A KB lookup, timed for the per-turn breakdown in /metrics. */
  private async match(text: string, locale: string): Promise<MatchResult> {
    const end = this.deps.metrics?.turnSeconds.startTimer({ phase: 'match' });
    try {
      return await this.deps.kb.match(text, locale);
    } finally {
      end?.();
    }
  }

  /** Sends the answer with its follow-ups; returns the entry's tags. */
  private async sendAnswer(
    context: TurnContext,
    locale: string,
    candidate: MatchCandidate,
  ): Promise<readonly string[]> {
    // The live matcher's copy: what the match was made on, and no database read.
    const entry = this.deps.kb.entry(candidate.id, locale);
    const followUps: string[] = [];
    for (const id of entry?.followUps ?? []) {
      const followUp = this.deps.kb.entry(id, locale);
      if (followUp?.enabled) followUps.push(followUp.question);
    }
    await context.sendActivity(
      answerMessage(
        locale,
        { id: candidate.id, answer: entry?.answer ?? candidate.answer },
        followUps,
      ),
    );
    return entry?.tags ?? [];
  }

  private async openTicket(
    context: TurnContext,
    locale: string,
    reason: HandoffReason,
    question: string,
    candidates: readonly MatchCandidate[],
    queue?: string,
  ): Promise<void> {
    const conversationId = context.activity.conversation.id;
    const { ticket, created, notice } = await this.deps.handoff.openTicket({
      conversationId,
      conversationRef: TurnContext.getConversationReference(context.activity),
      reason,
      locale,
      ...(queue && { queue }),
      question: question || (context.activity.text ?? ''),
      candidates: candidates.map((c) => ({
        id: c.id,
        question: c.question,
        confidence: c.confidence,
      })),
    });
    this.setKnownOpenTicket(context, ticket.id);
    if (created) this.deps.metrics?.handoffs.inc({ reason, locale });
    const wait = describeWait(locale, notice.etaSeconds, notice.etaRange);
    const reference = ticket.reference;
    if (!created) {
      await context.sendActivity(
        textMessage(
          locale,
          t(locale, 'alreadyQueued', { reference, position: notice.position, wait }),
        ),
      );
      return;
    }
    const text = this.queuedText(locale, reference, notice, wait);
    await context.sendActivity(textMessage(locale, `${text}\n\n${t(locale, 'queuedHints')}`));
    if (this.deps.settings.handoffMode === 'external') await this.initiateExternal(context, ticket);
  }

  /** After hours: when we are back; nobody online: no number of minutes; else place and wait. */
  private queuedText(
    locale: string,
    reference: string,
    notice: OpenTicketResult['notice'],
    wait: string,
  ): string {
    if (notice.afterHours) {
      return t(locale, 'afterHours', {
        backAt: formatBackAt(notice.backAt, locale, this.deps.settings.timeZone),
        hours: notice.promisedResponseHours,
        reference,
      });
    }
    if (notice.etaSeconds === null) {
      return t(locale, 'queuedNobodyOnline', {
        reference,
        position: notice.position,
        hours: notice.promisedResponseHours,
      });
    }
    return t(locale, 'queued', { reference, position: notice.position, wait });
  }

  /**
   * Keeps a question the bot could not answer directly for the editors' unanswered inbox. A
   * failure is logged, never felt by the customer.
   */
  private async keepUnanswered(
    locale: string,
    text: string,
    outcome: UnansweredOutcome,
    result: MatchResult,
  ): Promise<void> {
    const top = result.candidates.find((c) => !c.id.startsWith('__'));
    try {
      await this.deps.kb.recordUnanswered({
        locale,
        text,
        outcome,
        topId: top?.id ?? null,
        confidence: top?.confidence ?? 0,
      });
    } catch (err) {
      this.deps.logger.warn({ err }, 'could not keep an unanswered question');
    }
  }

  /**
   * A hub's answer to handoff.initiate (`value.state`: accepted | failed | completed). Our own
   * ticket stays the source of truth: a failed hand-over leaves the customer in our queue, a
   * completed one closes the ticket and gives the conversation back to the bot.
   */
  /** The customer picked another language: remember it and greet again in it. */
  private async switchLocale(context: TurnContext): Promise<void> {
    const wanted: unknown = context.activity.value ?? context.activity.locale;
    const locale = supportedLocaleOf(
      typeof wanted === 'string' ? wanted : undefined,
      this.deps.settings.supportedLocales,
    );
    if (!locale) return;
    const memory = await this.recall(context);
    if (memory.locale === locale) return;
    memory.locale = locale;
    await context.sendActivity(textMessage(locale, t(locale, 'welcome')));
  }

  private async handleHandoffStatus(context: TurnContext): Promise<void> {
    const conversationId = context.activity.conversation.id;
    const state = parseHandoffState(context.activity.value);
    this.deps.logger.info({ conversationId, state }, 'handoff.status received');
    const ticket = await this.deps.handoff.findOpenTicket(conversationId);
    if (!ticket || !state) return;
    await this.deps.handoff.recordLine(conversationId, {
      role: 'system',
      text: `External hand-over: ${state}`,
    });
    const locale = ticket.locale;
    if (state === 'failed') {
      const text = t(locale, 'externalHandoffFailed', { reference: ticket.reference });
      await context.sendActivity(textMessage(locale, text));
    } else if (state === 'completed') {
      await this.deps.handoff.cancel(
        conversationId,
        externalActor,
        'completed by the external hub',
      );
      await context.sendActivity(textMessage(locale, t(locale, 'handedBack')));
    }
  }

  /** Bot Framework handoff protocol, so hubs that speak it can take over too. */
  private async initiateExternal(context: TurnContext, ticket: HandoffTicket): Promise<void> {
    const transcript = {
      activities: ticket.transcript.map((line) => ({
        type: ActivityTypes.Message,
        text: line.text,
        timestamp: new Date(line.at),
        from: {
          id: line.role,
          name: line.agentName ?? line.role,
          role: line.role === 'customer' ? 'user' : 'bot',
        },
        conversation: context.activity.conversation,
        channelId: context.activity.channelId,
        recipient: context.activity.recipient,
        serviceUrl: context.activity.serviceUrl,
      })),
    };
    const event = EventFactory.createHandoffInitiation(
      context,
      {
        ticketId: ticket.id,
        reference: ticket.reference,
        reason: ticket.reason,
        locale: ticket.locale,
      },
      transcript as never,
    );
    await context.sendActivity(event);
  }

  private async sendStatus(context: TurnContext, locale: string): Promise<void> {
    const status = await this.deps.handoff.status(context.activity.conversation.id);
    if (!status) {
      await context.sendActivity(textMessage(locale, t(locale, 'statusNone')));
      return;
    }
    const reference = status.ticket.reference;
    const text = status.agentName
      ? t(locale, 'statusAssigned', { agent: status.agentName, reference })
      : t(locale, 'statusWaiting', {
          reference,
          position: status.position ?? 1,
          wait: describeWait(locale, status.etaSeconds, status.etaRange),
        });
    await context.sendActivity(textMessage(locale, text));
  }

  /** "Supervisor": the open ticket moves to the supervisor queue and keeps its place. */
  private async escalate(context: TurnContext, locale: string): Promise<void> {
    const moved = await this.deps.handoff.escalate(context.activity.conversation.id, customerActor);
    if (!moved) return this.sendStatus(context, locale);
    await context.sendActivity(
      textMessage(locale, t(locale, 'escalated', { reference: moved.reference })),
    );
  }

  private async cancel(context: TurnContext, locale: string): Promise<void> {
    const cancelled = await this.deps.handoff.cancel(
      context.activity.conversation.id,
      customerActor,
    );
    this.setKnownOpenTicket(context, null);
    const text = cancelled
      ? t(locale, 'cancelled', { reference: cancelled.reference })
      : t(locale, 'nothingToCancel');
    await context.sendActivity(textMessage(locale, text));
  }

  /** A bare "1".."5" right after the rating question counts as the rating. */
  private async rateTyped(context: TurnContext, locale: string, text: string): Promise<boolean> {
    const last = await this.deps.handoff.lastResolvedTicket(context.activity.conversation.id);
    if (!last || last.csat !== null) return false;
    await this.rateOnce(context, locale, last.id, Number(text));
    return true;
  }

  /** A ticket takes one rating; a second click is thanked for, not counted. */
  private async rateOnce(
    context: TurnContext,
    locale: string,
    ticketId: string,
    rating: number,
  ): Promise<void> {
    try {
      await this.deps.handoff.rate(ticketId, rating);
    } catch (err) {
      if (!(err instanceof AlreadyRatedError)) throw err;
      await context.sendActivity(textMessage(locale, t(locale, 'alreadyRated')));
      return;
    }
    this.deps.metrics?.csat.observe(rating);
    await context.sendActivity(textMessage(locale, t(locale, 'ratingThanks', { rating })));
  }

  /**
   * Every bot message of the turn goes to the transcript as it is sent; the first one after an
   * FAQ question carries how the bot answered it, for the analytics' unanswered rate.
   */
  private recordBotReplies(context: TurnContext, locale: string): void {
    const conversationId = context.activity.conversation.id;
    context.onSendActivities(async (_ctx, activities, next) => {
      const result = await next();
      for (const activity of activities) {
        if (activity.type === ActivityTypes.Message && activity.text) {
          const outcome = context.turnState.get<FaqOutcome | undefined>(faqOutcomeKey);
          context.turnState.delete(faqOutcomeKey);
          await this.deps.handoff.recordLine(
            conversationId,
            { role: 'bot', text: activity.text, locale, ...(outcome && { outcome }) },
            this.knownOpenTicket(context),
          );
        }
      }
      return result;
    });
  }

  /** The conversation's open ticket as this turn knows it (read at its start, kept up to date). */
  private knownOpenTicket(context: TurnContext): { openTicketId: string | null } | undefined {
    return context.turnState.get<{ openTicketId: string | null } | undefined>(openTicketKey);
  }

  private setKnownOpenTicket(context: TurnContext, openTicketId: string | null): void {
    context.turnState.set(openTicketKey, { openTicketId });
  }

  private async recall(context: TurnContext): Promise<ConversationMemory> {
    const memory = await this.memory.get(context, { misses: 0, recentTexts: [] });
    memory.recentTexts ??= [];
    memory.misses ??= 0;
    return memory;
  }

  /**
   * The text's own evidence first (a Hebrew message is Hebrew whatever the channel claims),
   * then the channel's locale, then what this conversation used before, then the default.
   */
  private localeOf(context: TurnContext, memory: ConversationMemory, text = ''): string {
    const { supportedLocales, defaultLocale } = this.deps.settings;
    return (
      detectLocale(text, supportedLocales) ??
      localeOfPhrase(text, supportedLocales) ??
      supportedLocaleOf(context.activity.locale, supportedLocales) ??
      memory.locale ??
      defaultLocale
    );
  }
}

const faqOutcomeKey = Symbol('askdesk.faqOutcome');
type FaqOutcome = 'answered' | 'clarify' | 'none' | 'handoff';

const customerActor = { id: 'customer', name: 'customer' };
const openTicketKey = Symbol('askdesk.openTicket');
const externalActor = { id: 'external-hub', name: 'external hub' };

function parseHandoffState(value: unknown): 'accepted' | 'failed' | 'completed' | null {
  const state = (value as { state?: unknown } | undefined)?.state;
  return state === 'accepted' || state === 'failed' || state === 'completed' ? state : null;
}

function lastQuestion(memory: ConversationMemory): string {
  return memory.recentTexts[memory.recentTexts.length - 1] ?? '';
}

function describeAttachments(context: TurnContext): string {
  const count = context.activity.attachments?.length ?? 0;
  return count > 0 ? `[${count} attachment(s)]` : '[empty message]';
}

function formatBackAt(iso: string | null, locale: string, timeZone: string): string {
  if (!iso) return '';
  const localeTag = { en: 'en-GB', he: 'he-IL', ro: 'ro-RO', hu: 'hu-HU' }[locale] ?? locale;
  return new Intl.DateTimeFormat(localeTag, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone,
  }).format(new Date(iso));
}

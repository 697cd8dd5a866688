/**
 * Announces new tickets: a count in the tab title and the badge, and an optional short beep
 * made with WebAudio (no sound file). The count clears when the agent looks at the page.
 */
export class Announcer {
  private unseen = 0;
  private audio?: AudioContext;
  soundOn = false;

  constructor(
    private readonly baseTitle: string,
    private readonly onCount: (count: number) => void,
  ) {
    const clear = () => {
      if (document.visibilityState === 'visible' && document.hasFocus()) this.clear();
    };
    window.addEventListener('focus', clear);
    document.addEventListener('visibilitychange', clear);
  }

  /** Browsers only allow audio after a user gesture: call this from a click (e.g. login). */
  unlockAudio(): void {
    try {
      this.audio ??= new AudioContext();
      void this.audio.resume();
    } catch {
      this.audio = undefined;
    }
  }

  newTicket(): void {
    this.unseen += 1;
    this.show();
    if (this.soundOn) this.beep();
  }

  clear(): void {
    this.unseen = 0;
    this.show();
  }

  private show(): void {
    document.title = this.unseen > 0 ? `(${this.unseen}) ${this.baseTitle}` : this.baseTitle;
    this.onCount(this.unseen);
  }

  private beep(): void {
    const audio = this.audio;
    if (!audio) return;
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.25);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + 0.25);
  }
}

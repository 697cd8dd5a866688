/**
 * A locale picker: the KB's locales, plus the current one when no entry has it yet (a new
 * locale, or the default before entries load).
 */
export function LocaleSelect(props: {
  locales: readonly string[];
  value: string;
  onChange: (locale: string) => void;
  testId: string;
  label?: string;
}) {
  const choices = props.locales.includes(props.value)
    ? props.locales
    : [props.value, ...props.locales];
  return (
    <select
      aria-label={props.label}
      data-testid={props.testId}
      value={props.value}
      onChange={(event) => props.onChange(event.currentTarget.value)}
    >
      {choices.map((l) => (
        <option key={l} value={l}>
          {l}
        </option>
      ))}
    </select>
  );
}

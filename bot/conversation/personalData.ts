/**
 * Masks personal data in text before it is stored: e-mail addresses, payment card numbers
 * (13–19 digits passing the Luhn check, spaces or dashes allowed) and phone numbers (8+ digits
 * with an optional +country prefix). Deliberately conservative: order numbers and dates stay.
 */
export function redactPersonalData(text: string): string {
  return text
    .replace(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu, '[email]')
    .replace(/\b(?:\d[ -]?){12,18}\d\b/g, (match) => (passesLuhn(match) ? '[card]' : match))
    .replace(/(?<![\w])\+?\d[\d ()-]{6,}\d(?![\w])/g, (match) =>
      match.replace(/\D/g, '').length >= 8 && !isoDate.test(match) ? '[phone]' : match,
    );
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function passesLuhn(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

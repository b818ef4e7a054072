/**
 * τ-bench's `calculate` without eval: the same accepted characters (digits, + - * / ( ) . and
 * spaces), Python's operator precedence (unary minus below `**`, `**` right-associative, `//`
 * floor division) and Python's output, `str(round(float(value), 2))` — '4.0', '3.33' — or
 * 'Error: …'. Does not: support names, functions or any other Python syntax.
 */

type Token = { kind: 'num'; value: number } | { kind: 'op'; value: string };

class SyntaxFailure extends Error {
  constructor(readonly why = 'invalid syntax') {
    super(why);
  }
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const c = expression[i]!;
    if (c === ' ') {
      i++;
    } else if (/[0-9.]/.test(c)) {
      const match = /^(\d+\.?\d*|\.\d+)/.exec(expression.slice(i));
      if (!match) throw new SyntaxFailure();
      tokens.push({ kind: 'num', value: Number(match[0]) });
      i += match[0].length;
    } else if (expression.startsWith('**', i) || expression.startsWith('//', i)) {
      tokens.push({ kind: 'op', value: expression.slice(i, i + 2) });
      i += 2;
    } else {
      tokens.push({ kind: 'op', value: c });
      i++;
    }
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): number {
    const value = this.sum();
    if (this.at !== this.tokens.length) throw new SyntaxFailure();
    return value;
  }

  private peek(): string | undefined {
    const t = this.tokens[this.at];
    return t?.kind === 'op' ? t.value : undefined;
  }

  private sum(): number {
    let value = this.product();
    for (let op = this.peek(); op === '+' || op === '-'; op = this.peek()) {
      this.at++;
      const right = this.product();
      value = op === '+' ? value + right : value - right;
    }
    return value;
  }

  private product(): number {
    let value = this.unary();
    for (let op = this.peek(); op === '*' || op === '/' || op === '//'; op = this.peek()) {
      this.at++;
      const right = this.unary();
      if (op === '*') value *= right;
      else if (right === 0) throw new RangeError('division by zero');
      else value = op === '/' ? value / right : Math.floor(value / right);
    }
    return value;
  }

  private unary(): number {
    const op = this.peek();
    if (op === '+' || op === '-') {
      this.at++;
      const value = this.unary();
      return op === '-' ? -value : value;
    }
    return this.power();
  }

  private power(): number {
    const base = this.atom();
    if (this.peek() !== '**') return base;
    this.at++;
    const exponent = this.unary();
    if (base === 0 && exponent < 0) throw new RangeError('0.0 cannot be raised to a negative power');
    return base ** exponent;
  }

  private atom(): number {
    const token = this.tokens[this.at++];
    if (token?.kind === 'num') return token.value;
    if (token?.kind === 'op' && token.value === '(') {
      const value = this.sum();
      const close = this.tokens[this.at++];
      if (close === undefined) throw new SyntaxFailure("'(' was never closed");
      if (close.value !== ')') throw new SyntaxFailure();
      return value;
    }
    throw new SyntaxFailure();
  }
}

/** Python's str() of a float. */
function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Object.is(value, -0)) return '-0.0';
  if (Math.abs(value) >= 1e16) return value.toExponential().replace(/e\+?(-?)(\d)$/, 'e+$10$2');
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

export function calculate(expression: string): string {
  if (![...expression].every((c) => '0123456789+-*/(). '.includes(c))) {
    return 'Error: invalid characters in expression';
  }
  try {
    const value = new Parser(tokenize(expression)).parse();
    return pythonFloat(Number(value.toFixed(2)));
  } catch (error) {
    if (error instanceof RangeError) return `Error: ${error.message}`;
    const why = error instanceof SyntaxFailure ? error.why : 'invalid syntax';
    return `Error: ${why} (<string>, line 1)`;
  }
}

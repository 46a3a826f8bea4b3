package demo

// problem is one self-written problem of the demo evalset, with what the
// response renderer needs to write right and wrong answers to it.
type problem struct {
	subject string // MATH subject name, e.g. "Counting & Probability"
	slug    string // folder in the unique_id, e.g. "counting_and_probability"
	num     int    // number in the unique_id: demo/<slug>/<num>.json
	level   int    // 1..5
	text    string
	// steps is the worked reasoning, one sentence or display per element. No
	// step states the final answer in a form the grader would extract.
	steps []string
	// answer is the gold answer, in MATH-500's answer-column style.
	answer string
	// equiv are correct answers written differently from the gold:
	// unsimplified fractions, decimals, other layouts. A correct grader accepts
	// each of them.
	equiv []string
	// wrong are plausible wrong answers: off by one, wrong sign, a half-done
	// computation, a confused quantity.
	wrong []string
	// code is a Python program a code-reasoning response writes; output is
	// what it prints.
	code, output string
}

// problems is the demo evalset. The problems are original (not copied from
// MATH-500) and cover its answer forms: integers, fractions, radicals,
// intervals, tuples, solution lists, text, multiple choice, multiples of π,
// degrees and bases.
var problems = []problem{
	// Prealgebra
	{
		subject: "Prealgebra", slug: "prealgebra", num: 1, level: 1,
		text:   `What is the value of $3 \cdot 7 - 4$?`,
		steps:  []string{`Multiplication comes before subtraction, so we first compute $3 \cdot 7 = 21$.`, `Then $21 - 4 = 17$.`},
		answer: `17`, equiv: []string{`17.0`}, wrong: []string{`16`, `9`, `-17`},
		code: "print(3 * 7 - 4)", output: "17",
	},
	{
		subject: "Prealgebra", slug: "prealgebra", num: 2, level: 2,
		text:   `Write $\frac{18}{24}$ in lowest terms.`,
		steps:  []string{`The greatest common divisor of $18$ and $24$ is $6$.`, `Dividing numerator and denominator by $6$ gives $\frac{18 \div 6}{24 \div 6}$.`},
		answer: `\frac{3}{4}`, equiv: []string{`\frac{6}{8}`, `0.75`, `\dfrac{3}{4}`, `\frac34`}, wrong: []string{`\frac{4}{3}`, `\frac{2}{3}`, `\frac{9}{16}`},
		code: "from fractions import Fraction\nprint(Fraction(18, 24))", output: "3/4",
	},
	{
		subject: "Prealgebra", slug: "prealgebra", num: 3, level: 2,
		text:   `A rectangle has a perimeter of $30$ centimeters and a length of $9$ centimeters. What is its area, in square centimeters?`,
		steps:  []string{`Half the perimeter is $15$, which is the length plus the width.`, `So the width is $15 - 9 = 6$ centimeters, and the area is $9 \cdot 6$.`},
		answer: `54`, equiv: []string{`54\text{ cm}^2`, `54.0`}, wrong: []string{`48`, `81`, `270`},
		code: "perimeter, length = 30, 9\nwidth = perimeter / 2 - length\nprint(length * width)", output: "54.0",
	},
	{
		subject: "Prealgebra", slug: "prealgebra", num: 4, level: 3,
		text:   `Ayo ran a mile in $7$ minutes $40$ seconds, Bela ran it in $455$ seconds, and Evelyn ran it in $7.5$ minutes. Who ran the mile fastest?`,
		steps:  []string{`In seconds, Ayo took $7 \cdot 60 + 40 = 460$ seconds.`, `Bela took $455$ seconds and Evelyn took $7.5 \cdot 60 = 450$ seconds.`, `The smallest time is the fastest runner.`},
		answer: `\text{Evelyn}`, wrong: []string{`\text{Bela}`, `\text{Ayo}`},
		code: "times = {'Ayo': 7 * 60 + 40, 'Bela': 455, 'Evelyn': 7.5 * 60}\nprint(min(times, key=times.get))", output: "Evelyn",
	},
	{
		subject: "Prealgebra", slug: "prealgebra", num: 5, level: 4,
		text:   `What is $15\%$ of $240$ plus one third of $90$?`,
		steps:  []string{`$15\%$ of $240$ is $0.15 \cdot 240 = 36$.`, `One third of $90$ is $30$, and we add the two parts.`},
		answer: `66`, equiv: []string{`66.0`, `36 + 30 = 66`}, wrong: []string{`65`, `36`, `51`},
		code: "print(0.15 * 240 + 90 / 3)", output: "66.0",
	},
	{
		subject: "Prealgebra", slug: "prealgebra", num: 6, level: 5,
		text:   `What is the measure, in degrees, of each interior angle of a regular octagon?`,
		steps:  []string{`The interior angles of an octagon add up to $(8 - 2) \cdot 180^\circ = 1080^\circ$.`, `A regular octagon has eight equal angles, so each is $1080^\circ / 8$.`},
		answer: `135^\circ`, equiv: []string{`135`, `135^{\circ}`, `135 \text{ degrees}`}, wrong: []string{`140^\circ`, `1080^\circ`, `45^\circ`},
		code: "n = 8\nprint((n - 2) * 180 / n)", output: "135.0",
	},
	// Algebra
	{
		subject: "Algebra", slug: "algebra", num: 1, level: 1,
		text:   `Solve for $x$: $2x + 5 = 17$.`,
		steps:  []string{`Subtracting $5$ from both sides gives $2x = 12$.`, `Dividing both sides by $2$ isolates $x$.`},
		answer: `6`, equiv: []string{`x = 6`, `\frac{12}{2}`}, wrong: []string{`11`, `7`, `-6`},
		code: "from sympy import symbols, solve\nx = symbols('x')\nprint(solve(2*x + 5 - 17, x))", output: "[6]",
	},
	{
		subject: "Algebra", slug: "algebra", num: 2, level: 2,
		text:   `What is the slope of the line through the points $(1, 2)$ and $(5, 10)$?`,
		steps:  []string{`The slope is the change in $y$ over the change in $x$.`, `That is $\frac{10 - 2}{5 - 1} = \frac{8}{4}$.`},
		answer: `2`, equiv: []string{`\frac{8}{4}`, `2.0`}, wrong: []string{`\frac{1}{2}`, `-2`, `8`},
		code: "x1, y1, x2, y2 = 1, 2, 5, 10\nprint((y2 - y1) / (x2 - x1))", output: "2.0",
	},
	{
		subject: "Algebra", slug: "algebra", num: 3, level: 3,
		text:   `Find all solutions of $x^2 - 6x + 5 = 0$. Enter all the solutions, separated by commas.`,
		steps:  []string{`The quadratic factors as $(x - 1)(x - 5) = 0$.`, `A product is zero exactly when one of its factors is zero.`},
		answer: `1, 5`, equiv: []string{`5, 1`, `1,5`, `x = 1, 5`}, wrong: []string{`-1, -5`, `5`, `2, 3`},
		code: "from sympy import symbols, solve\nx = symbols('x')\nprint(solve(x**2 - 6*x + 5, x))", output: "[1, 5]",
	},
	{
		subject: "Algebra", slug: "algebra", num: 4, level: 3,
		text:   `Simplify $\sqrt{48} - \sqrt{12}$.`,
		steps:  []string{`We have $\sqrt{48} = \sqrt{16 \cdot 3} = 4\sqrt{3}$.`, `Likewise $\sqrt{12} = \sqrt{4 \cdot 3} = 2\sqrt{3}$, and we subtract.`},
		answer: `2\sqrt{3}`, equiv: []string{`\sqrt{12}`, `2\sqrt3`, `4\sqrt{3} - 2\sqrt{3}`}, wrong: []string{`6`, `4\sqrt{3}`, `\sqrt{36}`},
		code: "from sympy import sqrt\nprint(sqrt(48) - sqrt(12))", output: "2*sqrt(3)",
	},
	{
		subject: "Algebra", slug: "algebra", num: 5, level: 4,
		text:   `What is the domain of the function $f(x) = \frac{\sqrt{x + 2}}{\sqrt{7 - x}}$? Express your answer in interval notation.`,
		steps:  []string{`The numerator needs $x + 2 \ge 0$, that is $x \ge -2$.`, `The denominator needs $7 - x > 0$ strictly, since it cannot be zero, so $x < 7$.`},
		answer: `[-2, 7)`, equiv: []string{`[-2,7)`, `-2 \le x < 7`}, wrong: []string{`[-2, 7]`, `(-2, 7)`, `(-7, 2]`},
		code: "from sympy import symbols, reduce_inequalities\nx = symbols('x', real=True)\nprint(reduce_inequalities([x + 2 >= 0, 7 - x > 0], x))", output: "(-2 <= x) & (x < 7)",
	},
	{
		subject: "Algebra", slug: "algebra", num: 6, level: 4,
		text:   `Solve the system $x + 2y = 1$ and $3x - y = 10$. Enter your answer as an ordered pair $(x, y)$.`,
		steps:  []string{`From the first equation, $x = 1 - 2y$.`, `Substituting, $3(1 - 2y) - y = 10$, so $-7y = 7$ and $y = -1$.`, `Then $x = 1 - 2(-1) = 3$.`},
		answer: `(3, -1)`, equiv: []string{`(3,-1)`, `\left(3, -1\right)`}, wrong: []string{`(-1, 3)`, `(3, 1)`, `(2, -1)`},
		code: "from sympy import symbols, solve\nx, y = symbols('x y')\nprint(solve([x + 2*y - 1, 3*x - y - 10], [x, y]))", output: "{x: 3, y: -1}",
	},
	{
		subject: "Algebra", slug: "algebra", num: 7, level: 5,
		text:   `Let $f(x) = \frac{2x + 1}{x - 3}$. Find $f^{-1}(5)$.`,
		steps:  []string{`We need the $x$ with $f(x) = 5$, that is $\frac{2x + 1}{x - 3} = 5$.`, `Clearing the denominator, $2x + 1 = 5x - 15$, so $3x = 16$.`},
		answer: `\frac{16}{3}`, equiv: []string{`\frac{32}{6}`, `5\frac{1}{3}`, `\dfrac{16}{3}`}, wrong: []string{`\frac{11}{2}`, `\frac{14}{3}`, `-\frac{16}{3}`},
		code: "from sympy import symbols, solve, Rational\nx = symbols('x')\nprint(solve((2*x + 1) - 5*(x - 3), x))", output: "[16/3]",
	},
	{
		subject: "Algebra", slug: "algebra", num: 8, level: 2,
		text:   `Compute $\left(\frac{2}{3}\right)^{-2}$.`,
		steps:  []string{`A negative exponent inverts the base: $\left(\frac{2}{3}\right)^{-2} = \left(\frac{3}{2}\right)^{2}$.`, `Squaring numerator and denominator gives $\frac{3^2}{2^2}$.`},
		answer: `\frac{9}{4}`, equiv: []string{`2.25`, `\frac{18}{8}`, `2\frac{1}{4}`}, wrong: []string{`\frac{4}{9}`, `-\frac{4}{9}`, `\frac{3}{2}`},
		code: "from fractions import Fraction\nprint(Fraction(2, 3) ** -2)", output: "9/4",
	},
	// Number Theory
	{
		subject: "Number Theory", slug: "number_theory", num: 1, level: 1,
		text:   `What is the remainder when $2024$ is divided by $7$?`,
		steps:  []string{`We have $7 \cdot 289 = 2023$.`, `So $2024 = 7 \cdot 289 + 1$.`},
		answer: `1`, equiv: []string{`1.0`}, wrong: []string{`2`, `0`, `6`},
		code: "print(2024 % 7)", output: "1",
	},
	{
		subject: "Number Theory", slug: "number_theory", num: 2, level: 2,
		text:   `What is the greatest common divisor of $84$ and $126$?`,
		steps:  []string{`We factor $84 = 2^2 \cdot 3 \cdot 7$ and $126 = 2 \cdot 3^2 \cdot 7$.`, `The common part is $2 \cdot 3 \cdot 7$.`},
		answer: `42`, equiv: []string{`2 \cdot 3 \cdot 7 = 42`}, wrong: []string{`21`, `14`, `252`},
		code: "from math import gcd\nprint(gcd(84, 126))", output: "42",
	},
	{
		subject: "Number Theory", slug: "number_theory", num: 3, level: 3,
		text:   `How many positive divisors does $360$ have?`,
		steps:  []string{`We factor $360 = 2^3 \cdot 3^2 \cdot 5$.`, `A divisor picks an exponent for each prime, so there are $(3 + 1)(2 + 1)(1 + 1)$ of them.`},
		answer: `24`, equiv: []string{`4 \cdot 3 \cdot 2 = 24`}, wrong: []string{`23`, `22`, `12`},
		code: "print(sum(1 for d in range(1, 361) if 360 % d == 0))", output: "24",
	},
	{
		subject: "Number Theory", slug: "number_theory", num: 4, level: 4,
		text:   `Express $0.\overline{36}$ as a common fraction in lowest terms.`,
		steps:  []string{`Let $x = 0.\overline{36}$. Then $100x = 36.\overline{36}$.`, `Subtracting, $99x = 36$, so $x = \frac{36}{99}$, which we reduce by $9$.`},
		answer: `\frac{4}{11}`, equiv: []string{`\frac{36}{99}`, `\frac{12}{33}`}, wrong: []string{`\frac{9}{25}`, `\frac{36}{100}`, `\frac{4}{9}`},
		code: "from fractions import Fraction\nprint(Fraction(36, 99))", output: "4/11",
	},
	{
		subject: "Number Theory", slug: "number_theory", num: 5, level: 5,
		text:   `What is the units digit of $7^{2025}$?`,
		steps:  []string{`The units digits of powers of $7$ cycle through $7, 9, 3, 1$ with period $4$.`, `Since $2025 = 4 \cdot 506 + 1$, $7^{2025}$ has the same units digit as $7^1$.`},
		answer: `7`, equiv: []string{`7.0`}, wrong: []string{`3`, `9`, `1`},
		code: "print(pow(7, 2025, 10))", output: "7",
	},
	{
		subject: "Number Theory", slug: "number_theory", num: 6, level: 3,
		text:   `Express $100_{10}$ in base $5$.`,
		steps:  []string{`We have $100 = 4 \cdot 25 + 0 \cdot 5 + 0$.`, `So the base-$5$ digits are $4$, $0$, $0$.`},
		answer: `400_5`, equiv: []string{`400_{5}`}, wrong: []string{`410_5`, `40_5`, `200_5`},
		code: "n, digits = 100, ''\nwhile n:\n    digits = str(n % 5) + digits\n    n //= 5\nprint(digits)", output: "400",
	},
	// Counting & Probability
	{
		subject: "Counting & Probability", slug: "counting_and_probability", num: 1, level: 1,
		text:   `In how many ways can $4$ different books be arranged in a row on a shelf?`,
		steps:  []string{`There are $4$ choices for the first place, $3$ for the second, $2$ for the third and $1$ for the last.`, `That is $4! = 4 \cdot 3 \cdot 2 \cdot 1$.`},
		answer: `24`, equiv: []string{`4!`}, wrong: []string{`16`, `12`, `4`},
		code: "from math import factorial\nprint(factorial(4))", output: "24",
	},
	{
		subject: "Counting & Probability", slug: "counting_and_probability", num: 2, level: 2,
		text:   `A fair coin is flipped $3$ times. What is the probability of getting exactly two heads? Express your answer as a common fraction.`,
		steps:  []string{`There are $2^3 = 8$ equally likely outcomes.`, `Exactly two heads happens in $\binom{3}{2} = 3$ of them.`},
		answer: `\frac{3}{8}`, equiv: []string{`0.375`, `\frac{6}{16}`}, wrong: []string{`\frac{1}{4}`, `\frac{1}{2}`, `\frac{3}{4}`},
		code: "from itertools import product\nfrom fractions import Fraction\nflips = list(product('HT', repeat=3))\nprint(Fraction(sum(f.count('H') == 2 for f in flips), len(flips)))", output: "3/8",
	},
	{
		subject: "Counting & Probability", slug: "counting_and_probability", num: 3, level: 3,
		text:   `Compute $\dbinom{10}{4}$.`,
		steps:  []string{`We have $\binom{10}{4} = \frac{10 \cdot 9 \cdot 8 \cdot 7}{4 \cdot 3 \cdot 2 \cdot 1}$.`, `The numerator is $5040$ and the denominator is $24$.`},
		answer: `210`, equiv: []string{`\frac{5040}{24}`}, wrong: []string{`5040`, `209`, `252`},
		code: "from math import comb\nprint(comb(10, 4))", output: "210",
	},
	{
		subject: "Counting & Probability", slug: "counting_and_probability", num: 4, level: 4,
		text:   `Two fair six-sided dice are rolled. What is the probability that the sum of the numbers rolled is prime? Express your answer as a common fraction.`,
		steps:  []string{`The prime sums possible are $2, 3, 5, 7, 11$.`, `They occur in $1 + 2 + 4 + 6 + 2 = 15$ of the $36$ equally likely outcomes.`},
		answer: `\frac{5}{12}`, equiv: []string{`\frac{15}{36}`, `\frac{10}{24}`}, wrong: []string{`\frac{1}{2}`, `\frac{7}{18}`, `\frac{4}{9}`},
		code: "from fractions import Fraction\nprimes = {2, 3, 5, 7, 11}\ngood = sum(a + b in primes for a in range(1, 7) for b in range(1, 7))\nprint(Fraction(good, 36))", output: "5/12",
	},
	{
		subject: "Counting & Probability", slug: "counting_and_probability", num: 5, level: 5,
		text:   `A committee of $3$ people is chosen from $5$ men and $4$ women. In how many ways can this be done if the committee must include at least one woman?`,
		steps:  []string{`There are $\binom{9}{3} = 84$ committees in all.`, `Of these, $\binom{5}{3} = 10$ have no woman, and we remove them.`},
		answer: `74`, equiv: []string{`84 - 10 = 74`}, wrong: []string{`75`, `84`, `112`},
		code: "from math import comb\nprint(comb(9, 3) - comb(5, 3))", output: "74",
	},
	{
		subject: "Counting & Probability", slug: "counting_and_probability", num: 6, level: 3,
		text:   `Which of the following is largest?` + "\n\n" + `(A) $\binom{6}{2}$ \quad (B) $2^4$ \quad (C) $3! + 3! + 3!$ \quad (D) $4^2 - 1$ \quad (E) $\frac{5!}{8}$` + "\n\n" + `Enter the letter of your choice.`,
		steps:  []string{`The values are (A) $15$, (B) $16$, (C) $18$, (D) $15$ and (E) $15$.`, `The largest of these is $18$.`},
		answer: `\text{(C)}`, equiv: []string{`(C)`, `C`}, wrong: []string{`\text{(B)}`, `\text{(E)}`},
		code: "from math import comb, factorial\nvalues = {'A': comb(6, 2), 'B': 2**4, 'C': 3 * factorial(3), 'D': 4**2 - 1, 'E': factorial(5) // 8}\nprint(max(values, key=values.get))", output: "C",
	},
	// Geometry
	{
		subject: "Geometry", slug: "geometry", num: 1, level: 1,
		text:   `Two angles of a triangle measure $47^\circ$ and $68^\circ$. What is the measure, in degrees, of the third angle?`,
		steps:  []string{`The angles of a triangle add up to $180^\circ$.`, `So the third angle is $180^\circ - 47^\circ - 68^\circ$.`},
		answer: `65`, equiv: []string{`65^\circ`, `65^{\circ}`}, wrong: []string{`75`, `115`, `66`},
		code: "print(180 - 47 - 68)", output: "65",
	},
	{
		subject: "Geometry", slug: "geometry", num: 2, level: 2,
		text:   `What is the area of a circle with diameter $10$? Express your answer in terms of $\pi$.`,
		steps:  []string{`The radius is half the diameter, $5$.`, `The area is $\pi r^2 = \pi \cdot 5^2$.`},
		answer: `25\pi`, equiv: []string{`25 \pi`, `\pi \cdot 25`, `\frac{100\pi}{4}`}, wrong: []string{`100\pi`, `10\pi`, `5\pi`},
		code: "from sympy import pi\nr = 10 / 2\nprint(pi * int(r)**2)", output: "25*pi",
	},
	{
		subject: "Geometry", slug: "geometry", num: 3, level: 3,
		text:   `A right triangle has legs of length $4$ and $6$. What is the length of its hypotenuse? Express your answer in simplest radical form.`,
		steps:  []string{`By the Pythagorean theorem the hypotenuse is $\sqrt{4^2 + 6^2} = \sqrt{52}$.`, `Since $52 = 4 \cdot 13$, we can take $2$ out of the root.`},
		answer: `2\sqrt{13}`, equiv: []string{`\sqrt{52}`, `2 \sqrt{13}`}, wrong: []string{`10`, `\sqrt{10}`, `2\sqrt{5}`},
		code: "from sympy import sqrt\nprint(sqrt(4**2 + 6**2))", output: "2*sqrt(13)",
	},
	{
		subject: "Geometry", slug: "geometry", num: 4, level: 4,
		text:   `A right circular cone has radius $3$ and height $8$. What is its volume? Express your answer in terms of $\pi$.`,
		steps:  []string{`The volume of a cone is $\frac{1}{3}\pi r^2 h$.`, `Here that is $\frac{1}{3} \cdot \pi \cdot 9 \cdot 8 = \frac{72\pi}{3}$.`},
		answer: `24\pi`, equiv: []string{`\frac{72\pi}{3}`, `24 \pi`}, wrong: []string{`72\pi`, `48\pi`, `8\pi`},
		code: "from sympy import pi, Rational\nprint(Rational(1, 3) * pi * 3**2 * 8)", output: "24*pi",
	},
	{
		subject: "Geometry", slug: "geometry", num: 5, level: 5,
		text:   `A triangle has side lengths $13$, $14$ and $15$. What is its area?`,
		steps:  []string{`The semiperimeter is $s = \frac{13 + 14 + 15}{2} = 21$.`, `By Heron's formula the area is $\sqrt{21 \cdot 8 \cdot 7 \cdot 6} = \sqrt{7056}$.`},
		answer: `84`, equiv: []string{`\sqrt{7056}`}, wrong: []string{`85`, `42`, `168`},
		code: "from math import sqrt\na, b, c = 13, 14, 15\ns = (a + b + c) / 2\nprint(sqrt(s * (s - a) * (s - b) * (s - c)))", output: "84.0",
	},
	{
		subject: "Geometry", slug: "geometry", num: 6, level: 3,
		text:   `What is the midpoint of the segment with endpoints $(-3, 7)$ and $(5, -1)$?`,
		steps:  []string{`The midpoint averages the coordinates.`, `That is $\left(\frac{-3 + 5}{2}, \frac{7 + (-1)}{2}\right)$.`},
		answer: `(1, 3)`, equiv: []string{`(1,3)`, `\left(1, 3\right)`, `(\frac{2}{2}, \frac{6}{2})`}, wrong: []string{`(4, -4)`, `(1, -3)`, `(2, 6)`},
		code: "x1, y1, x2, y2 = -3, 7, 5, -1\nprint(((x1 + x2) / 2, (y1 + y2) / 2))", output: "(1.0, 3.0)",
	},
	// Intermediate Algebra
	{
		subject: "Intermediate Algebra", slug: "intermediate_algebra", num: 1, level: 2,
		text:   `Let $z = 3 + 4i$. Compute $|z|$.`,
		steps:  []string{`The modulus of $a + bi$ is $\sqrt{a^2 + b^2}$.`, `Here that is $\sqrt{9 + 16} = \sqrt{25}$.`},
		answer: `5`, equiv: []string{`\sqrt{25}`, `5.0`}, wrong: []string{`25`, `7`, `\sqrt{7}`},
		code: "print(abs(3 + 4j))", output: "5.0",
	},
	{
		subject: "Intermediate Algebra", slug: "intermediate_algebra", num: 2, level: 3,
		text:   `Find the remainder when $x^3 - 2x + 5$ is divided by $x - 2$.`,
		steps:  []string{`By the remainder theorem the remainder is the value of the polynomial at $x = 2$.`, `That value is $2^3 - 2 \cdot 2 + 5 = 8 - 4 + 5$.`},
		answer: `9`, equiv: []string{`9.0`}, wrong: []string{`1`, `10`, `8`},
		code: "p = lambda x: x**3 - 2*x + 5\nprint(p(2))", output: "9",
	},
	{
		subject: "Intermediate Algebra", slug: "intermediate_algebra", num: 3, level: 4,
		text:   `Find all real numbers $x$ such that $|2x - 3| = 7$. Enter all the solutions, separated by commas.`,
		steps:  []string{`Either $2x - 3 = 7$, giving $x = 5$, or $2x - 3 = -7$, giving $x = -2$.`, `Both values check in the original equation.`},
		answer: `-2, 5`, equiv: []string{`5, -2`, `-2,5`}, wrong: []string{`5`, `2, -5`, `-5, 2`},
		code: "from sympy import symbols, solve, Abs\nx = symbols('x', real=True)\nprint(solve(Abs(2*x - 3) - 7, x))", output: "[-2, 5]",
	},
	{
		subject: "Intermediate Algebra", slug: "intermediate_algebra", num: 4, level: 5,
		text:   `Find the minimum value of $x + \frac{9}{x}$ for $x > 0$.`,
		steps:  []string{`By AM-GM, $x + \frac{9}{x} \ge 2\sqrt{x \cdot \frac{9}{x}} = 2\sqrt{9}$.`, `Equality holds at $x = 3$, so the bound is attained.`},
		answer: `6`, equiv: []string{`2\sqrt{9}`, `6.0`}, wrong: []string{`3`, `9`, `10`},
		code: "from sympy import symbols, diff, solve\nx = symbols('x', positive=True)\nf = x + 9/x\nc = solve(diff(f, x), x)[0]\nprint(f.subs(x, c))", output: "6",
	},
	{
		subject: "Intermediate Algebra", slug: "intermediate_algebra", num: 5, level: 4,
		text:   `Compute the sum of the infinite geometric series $1 + \frac{1}{3} + \frac{1}{9} + \frac{1}{27} + \cdots$.`,
		steps:  []string{`The first term is $1$ and the common ratio is $\frac{1}{3}$.`, `The sum is $\frac{1}{1 - \frac{1}{3}} = \frac{1}{\frac{2}{3}}$.`},
		answer: `\frac{3}{2}`, equiv: []string{`1.5`, `\frac{6}{4}`, `1\frac{1}{2}`}, wrong: []string{`\frac{4}{3}`, `2`, `\frac{2}{3}`},
		code: "from sympy import Rational, oo, Sum, symbols\nn = symbols('n')\nprint(Sum(Rational(1, 3)**n, (n, 0, oo)).doit())", output: "3/2",
	},
	{
		subject: "Intermediate Algebra", slug: "intermediate_algebra", num: 6, level: 5,
		text:   `Let $a$ and $b$ be the roots of $x^2 - 4x + 1 = 0$. Compute $a^2 + b^2$.`,
		steps:  []string{`By Vieta's formulas, $a + b = 4$ and $ab = 1$.`, `Then $a^2 + b^2 = (a + b)^2 - 2ab = 16 - 2$.`},
		answer: `14`, equiv: []string{`16 - 2 = 14`}, wrong: []string{`16`, `18`, `12`},
		code: "from sympy import symbols, solve, simplify\nx = symbols('x')\na, b = solve(x**2 - 4*x + 1, x)\nprint(simplify(a**2 + b**2))", output: "14",
	},
	// Precalculus
	{
		subject: "Precalculus", slug: "precalculus", num: 1, level: 1,
		text:   `Convert $\frac{5\pi}{6}$ radians to degrees.`,
		steps:  []string{`One radian is $\frac{180^\circ}{\pi}$.`, `So $\frac{5\pi}{6}$ radians is $\frac{5 \cdot 180^\circ}{6}$.`},
		answer: `150^\circ`, equiv: []string{`150`, `150^{\circ}`}, wrong: []string{`300^\circ`, `120^\circ`, `30^\circ`},
		code: "from math import pi, degrees\nprint(degrees(5 * pi / 6))", output: "150.0",
	},
	{
		subject: "Precalculus", slug: "precalculus", num: 2, level: 2,
		text:   `Convert the point $(-2, 2)$ in rectangular coordinates to polar coordinates. Enter your answer in the form $(r, \theta)$, where $r > 0$ and $0 \le \theta < 2\pi$.`,
		steps:  []string{`We have $r = \sqrt{(-2)^2 + 2^2} = \sqrt{8} = 2\sqrt{2}$.`, `The point lies in the second quadrant on the line $y = -x$, at an angle of $\pi - \frac{\pi}{4}$ from the positive $x$-axis.`},
		answer: `\left( 2\sqrt{2}, \frac{3\pi}{4} \right)`, equiv: []string{`(2\sqrt{2}, \frac{3\pi}{4})`, `(\sqrt{8}, \frac{3\pi}{4})`}, wrong: []string{`(2\sqrt{2}, \frac{\pi}{4})`, `(2\sqrt{2}, -\frac{\pi}{4})`, `(2, \frac{3\pi}{4})`},
		code: "from sympy import sqrt, atan2\nx, y = -2, 2\nprint((sqrt(x**2 + y**2), atan2(y, x)))", output: "(2*sqrt(2), 3*pi/4)",
	},
	{
		subject: "Precalculus", slug: "precalculus", num: 3, level: 3,
		text:   `Compute $\cos \frac{2\pi}{3}$.`,
		steps:  []string{`The angle $\frac{2\pi}{3}$ is $120^\circ$, in the second quadrant where cosine is negative.`, `Its reference angle is $60^\circ$, and $\cos 60^\circ = \frac{1}{2}$.`},
		answer: `-\frac{1}{2}`, equiv: []string{`-0.5`, `-\frac{2}{4}`, `\frac{-1}{2}`}, wrong: []string{`\frac{1}{2}`, `-\frac{\sqrt{3}}{2}`, `\frac{\sqrt{3}}{2}`},
		code: "from sympy import cos, pi\nprint(cos(2 * pi / 3))", output: "-1/2",
	},
	{
		subject: "Precalculus", slug: "precalculus", num: 4, level: 4,
		text:   `Find the smallest positive angle $\theta$, in radians, such that $\sin 2\theta = 1$.`,
		steps:  []string{`The smallest positive angle whose sine is $1$ is $\frac{\pi}{2}$.`, `So $2\theta = \frac{\pi}{2}$, and we halve it.`},
		answer: `\frac{\pi}{4}`, equiv: []string{`\frac{\pi}4`, `0.25\pi`, `\frac{2\pi}{8}`}, wrong: []string{`\frac{\pi}{2}`, `\frac{\pi}{8}`, `\frac{3\pi}{4}`},
		code: "from sympy import symbols, solveset, sin, Interval, pi\nt = symbols('t')\nprint(min(solveset(sin(2*t) - 1, t, Interval(0, 2*pi))))", output: "pi/4",
	},
	{
		subject: "Precalculus", slug: "precalculus", num: 5, level: 5,
		text:   `Compute the determinant of the matrix $\begin{pmatrix} 1 & 2 & 3 \\ 0 & 1 & 4 \\ 5 & 6 & 0 \end{pmatrix}$.`,
		steps:  []string{`Expanding along the first row gives $1(0 - 24) - 2(0 - 20) + 3(0 - 5)$.`, `That is $-24 + 40 - 15$.`},
		answer: `1`, equiv: []string{`-24 + 40 - 15 = 1`}, wrong: []string{`-1`, `0`, `2`},
		code: "from sympy import Matrix\nprint(Matrix([[1, 2, 3], [0, 1, 4], [5, 6, 0]]).det())", output: "1",
	},
	{
		subject: "Precalculus", slug: "precalculus", num: 6, level: 4,
		text:   `Find the angle, in degrees, between the vectors $\begin{pmatrix} 1 \\ 1 \\ 0 \end{pmatrix}$ and $\begin{pmatrix} 1 \\ 0 \\ 1 \end{pmatrix}$.`,
		steps:  []string{`The dot product is $1$ and each vector has length $\sqrt{2}$.`, `So the cosine of the angle is $\frac{1}{\sqrt{2} \cdot \sqrt{2}} = \frac{1}{2}$.`},
		answer: `60^\circ`, equiv: []string{`60`, `60^{\circ}`}, wrong: []string{`45^\circ`, `30^\circ`, `120^\circ`},
		code: "import numpy as np\nu, v = np.array([1, 1, 0]), np.array([1, 0, 1])\nprint(np.degrees(np.arccos(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))))", output: "60.00000000000001",
	},
}

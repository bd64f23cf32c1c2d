/* sheet_about - the About sheet (SPEC 6): what each sheet holds, each
 * verdict, interval rule and hypothesis in words, the options as run with
 * their values, and how a formula recomputes. Invariant: every word comes
 * from this program (the options' values are numbers, codes and dates it
 * parsed), never from an input's free text; written last, at close. */
#include "book_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "date.h"

#define TOPIC_WIDTH 24.0
#define TEXT_WIDTH 100.0
#define LINE_POINTS 15.0 /* one line of the default font */

typedef struct {
    fx_book *b;
    lxw_worksheet *ws;
    lxw_row_t r;
    /* the options' values, as text */
    char tol[FX_DEC_STR_MAX], window[24], stale[24], places[16], date[11], targets[64];
    const char *first, *rounding, *fallback;
} about;

/* Lines a wrapped cell of `width` characters takes: words fill a line
 * (a little narrower than the column, as a proportional font needs); a
 * character, not a byte, counts one. */
static unsigned wrapped_lines(const char *s, double width)
{
    size_t cap = (size_t)(width * 0.95);
    unsigned lines = 1;
    size_t col = 0;
    for (const char *p = s; *p;) {
        if (*p == '\n') {
            lines++;
            col = 0;
            p++;
            continue;
        }
        size_t word = 0;
        const char *q = p;
        while (*q && *q != ' ' && *q != '\n') {
            word += ((unsigned char)*q & 0xC0) != 0x80;
            q++;
        }
        if (col > 0 && col + 1 + word > cap) {
            lines++;
            col = 0;
        } else if (col > 0) {
            col++;
        }
        col += word;
        while (col > cap) { /* a word longer than the line */
            lines++;
            col -= cap;
        }
        p = *q == ' ' ? q + 1 : q;
    }
    return lines;
}

/* A row of two wrapped cells, as tall as its longer one. */
static void row2(about *a, const char *topic, const char *text)
{
    fx_book *b = a->b;
    unsigned n = wrapped_lines(topic, TOPIC_WIDTH), m = wrapped_lines(text, TEXT_WIDTH);
    if (m > n)
        n = m;
    if (n > 1)
        fx_sheet_lxw_ok(b, worksheet_set_row(a->ws, a->r, LINE_POINTS * n, NULL), "row height");
    fx_sheet_put_str(b, a->ws, a->r, 0, topic, b->f_wrap);
    fx_sheet_put_str(b, a->ws, a->r, 1, text, b->f_wrap);
    a->r++;
}

static void rowf(about *a, const char *topic, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void rowf(about *a, const char *topic, const char *fmt, ...)
{
    char text[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof text) { /* never cut silently */
        fx_sheet_fail(a->b, FX_E_INTERNAL, "About", "a text is longer than its buffer");
        return;
    }
    row2(a, topic, text);
}

/* A section: a blank row before it (not before the first), then its
 * heading, bold, across both columns. */
static void heading(about *a, const char *title)
{
    if (a->r > 1)
        a->r++;
    fx_sheet_put_str(a->b, a->ws, a->r, 0, title, a->b->f_head);
    fx_sheet_cell_ok(a->b, worksheet_write_blank(a->ws, a->r, 1, a->b->f_head), a->ws, a->r, 1);
    a->r++;
}

static void values(about *a)
{
    const fx_book_info *in = a->b->info;
    const fx_convert_opts *co = in->conv;
    const fx_audit_opts *ao = in->audit;
    static const char *const rnames[] = {"half-even", "half-up", "down"};
    snprintf(a->tol, sizeof a->tol, "?");
    snprintf(a->window, sizeof a->window, "?");
    snprintf(a->stale, sizeof a->stale, "?");
    snprintf(a->places, sizeof a->places, "?");
    a->date[0] = a->targets[0] = '\0';
    a->first = "?";
    a->rounding = a->fallback = "?";
    if (ao) {
        if (fx_dec_to_str(&ao->tolerance, a->tol, sizeof a->tol) < 0)
            snprintf(a->tol, sizeof a->tol, "?");
        snprintf(a->window, sizeof a->window, "%ld", ao->infer_window);
    }
    if (co) {
        snprintf(a->places, sizeof a->places, "%d", co->places);
        if ((unsigned)co->rounding < N(rnames))
            a->rounding = rnames[co->rounding];
        a->fallback = co->lookup.fallback == FX_FALLBACK_NONE ? "none" : "previous";
        if (co->lookup.max_stale < 0)
            snprintf(a->stale, sizeof a->stale, "none");
        else
            snprintf(a->stale, sizeof a->stale, "%ld", co->lookup.max_stale);
        if (co->has_date)
            fx_date_format(co->date, a->date);
        for (size_t i = 0, at = 0; i < co->ntargets && at < sizeof a->targets; i++)
            at += (size_t)snprintf(a->targets + at, sizeof a->targets - at, "%s%s", i ? "," : "",
                                   co->targets[i].s);
        if (co->ntargets)
            a->first = co->targets[0].s;
    }
}

static void sheets(about *a)
{
    heading(a, "The sheets");
    rowf(a, "Summary",
         "One printed page: what was run (every input and rates file with its size in bytes and "
         "SHA-256, the rates' date ranges, the targets, every option in full, the version), the "
         "counts, the top findings (at most 20, ranked as in Findings, each linked to its row "
         "there) and a chart of the disputed money claims showing each source's interval in %s.",
         a->first);
    row2(a, "Findings",
         "Every finding, ranked, nothing capped: claims whose sources disagree; inconsistent, "
         "then close conversions; conversions explained only by a stale, average, chained or "
         "truncated hypothesis; unexplained and unverifiable conversions; facts valued with a "
         "fallback rate. A row: rank, kind, subject (claim or fact_id), sources, a sentence "
         "built only from ids, numbers and dates, the figures, and links to the rows it rests "
         "on.");
    rowf(a, "Comparison",
         "A row per claim: disagree first, then by spread (largest first), then claim id. The "
         "verdict and spread beside the claim id; per source, its value normalized into %s "
         "(money) or in its own unit, as printed with its qualifier, and its interval; min and "
         "max; the sources outside the range most sources share. A source with several facts "
         "on a claim shows the first and says how many more.",
         a->first);
    row2(a, "Conversions",
         "Every audited conversion (a fact with reported_value and reported_unit): the figure "
         "as the source printed it, fxbook's computed amount, the deviation, the verdict, the "
         "explanation (the best hypothesis, below) and the matching rate dates, written as "
         "ranges with their age.");
    row2(a, "Facts",
         "Every input row with its normalized values: per target, fxbook's exact rounded amount "
         "and beside it a live formula over the Rates cells that recomputes the unrounded "
         "conversion (see Formulas below); the rate used (value, date, provider, basis) with "
         "its Rates row; the claim's verdict.");
    row2(a, "Rates",
         "Every rate a conversion used: date, base, quote, rate (1 base = rate quote: quote "
         "currency per unit of base), rate_exact (the rate as written in its file), provider, "
         "file (as named on the command line) and line.");
    row2(a, "Sources",
         "Every source: id, outlet, title, url, published (from a sources file when given), its "
         "facts and its findings.");
    row2(a, "About", "This sheet.");
    row2(a, "Long sheets",
         "A sheet that would pass Excel's 1,048,576 rows continues on \"Facts (2)\", \"Findings "
         "(2)\", ... right after it, with the same header.");
}

static void intervals(about *a)
{
    heading(a, "Intervals: what a printed figure means");
    row2(a, "printed precision h",
         "Half a unit of the figure's last printed digit, times its scale: 5.5 billion has "
         "h = 0.05 billion, 40 billion h = 0.5 billion, 230000 h = 0.5.");
    row2(a, "as printed",
         "The figure v stands for the interval [v - h, v + h]. Intervals are closed: a value "
         "exactly on a bound is inside.");
    row2(a, "at_least",
         "[v - h, no upper bound): \"more than $12 billion\" is at_least 12 billion.");
    row2(a, "at_most", "(no lower bound, v + h].");
    rowf(a, "about", "[v - h, v + h] widened by %s %% of v on each side (--tolerance %s).", a->tol,
         a->tol);
}

static void verdicts(about *a)
{
    heading(a, "Verdicts of a reported conversion (Conversions, Facts)");
    row2(a, "how",
         "fxbook converts the printed value itself (the point value; the qualifier plays no "
         "part), exactly, at the valuation date, and compares it with the reported figure. "
         "deviation_pct = 100 x (reported - exact) / exact.");
    row2(a, "consistent", "The exact conversion lies in the reported figure's interval.");
    rowf(a, "close",
         "It does not, and |deviation_pct| <= %s: within %s %% (--tolerance %s). Exactly %s %% "
         "is close.",
         a->tol, a->tol, a->tol, a->tol);
    rowf(a, "inconsistent", "Beyond that: |deviation_pct| > %s %%.", a->tol);
    row2(a, "unverifiable", "No rate for the reported unit (not an error).");

    heading(a, "Verdicts of a claim (Comparison)");
    rowf(a, "how",
         "Over all the claim's facts, each normalized at its own valuation date into %s (money) "
         "or kept in its unit:",
         a->first);
    row2(a, "single", "The claim has one fact.");
    row2(a, "agree",
         "The intervals of all its facts, normalized, share a value (intervals that only touch "
         "agree).");
    row2(a, "disagree", "They do not.");
}

static const char *basis_of(const about *a)
{
    return fx_basis_name(a->b->info->conv ? a->b->info->conv->basis : FX_BASIS_SPOT);
}

static void rates(about *a)
{
    heading(a, "Rates and dates");
    if (a->date[0])
        rowf(a, "valuation date D", "%s for every fact (--date %s).", a->date, a->date);
    else
        row2(a, "valuation date D", "Each fact's as_of, else its published date (no --date).");
    row2(a, "rate date R",
         "The latest rate date R on or before D on which the pair can be priced: directly, "
         "inversely, or crossed through one common currency (EUR for the ECB history), both "
         "legs from the same R and the same provider. A direct pair on R wins over a cross.");
    if (strcmp(a->fallback, "none") == 0)
        row2(a, "fallback", "Only R = D is accepted (--fallback none): no rate on D is an error.");
    else if (strcmp(a->stale, "none") == 0)
        row2(a, "fallback",
             "An earlier R is accepted however old (--fallback previous --max-stale none).");
    else
        rowf(a, "fallback",
             "An earlier R is accepted when D - R <= %s calendar days (--fallback previous "
             "--max-stale %s); older is an error.",
             a->stale, a->stale);
    rowf(a, "basis",
         "%s (--basis %s; a fact's basis column overrides it). spot: the rate of R. "
         "month-average, quarter-average, year-average: the exact mean of the provider's "
         "published daily rates of the pair over the calendar month, quarter or year that holds "
         "D, up to and including D (a period not over yet is averaged to date); for a cross, "
         "the mean of the daily crosses of the days both legs were published. Facts names the "
         "period and the days averaged; Rates lists every daily rate averaged, on consecutive "
         "rows, and the formula averages them (AVERAGE, or SUMPRODUCT for inverse and cross "
         "days). The audit of printed conversions stays at spot.",
         basis_of(a), basis_of(a));
    rowf(a, "rounding",
         "Every converted amount is the exact rational result, rounded once, at the end, to %s "
         "decimal places, %s (--places %s --rounding %s; half-even: ties to the even last "
         "digit; half-up: ties away from zero; down: toward zero).",
         a->places, a->rounding, a->places, a->rounding);
    rowf(a, "matching rate dates",
         "Every rate date R in [D - %s, D] (--infer-window %s; calendar days, both ends "
         "included) on which a rate was published and whose rate puts the exact conversion in "
         "the reported interval: the days whose rate the source may have used, in ascending "
         "order.",
         a->window, a->window);
}

static void hypotheses(about *a)
{
    heading(a, "Explanations: how did the source get its number?");
    row2(a, "what",
         "For every audited conversion that has a rate, fxbook searches the hypotheses that "
         "reproduce the printed figure and names the best. A hypothesis explains the figure "
         "when the exact conversion of its base figure's printed value lands in the printed "
         "figure's interval under its reading.");
    row2(a, "provider",
         "Every loaded provider: ECB for the ECB history; a long file's source column, else the "
         "file's name without .csv.");
    rowf(a, "rate date", "Any rate date R in [D - %s, D] (--infer-window %s).", a->window,
         a->window);
    row2(a, "basis", "spot on R, or the month-average of R's month, up to and including R.");
    row2(a, "base figure",
         "The fact's own value (direct), or a figure of the same claim printed in a third "
         "currency (a value or reported value of any fact of that claim from a source "
         "published on or before D) that the source may have converted instead: chained.");
    row2(a, "reading",
         "nearest: the printed figure's interval (above); truncated: cut, not rounded: "
         "[v, v + 2h) (toward zero for a negative figure).");
    row2(a, "assumptions",
         "Each of: a chained base figure; a stale rate (R before the provider's last two rate "
         "dates on or before D); an average basis; a truncated reading.");
    row2(a, "ranking",
         "The best hypothesis has the fewest assumptions; then the latest R; then the earliest "
         "provider in --provider order (then by name); then chained before not, average "
         "before not, truncated before not; then the base figure's fact_id (its value before "
         "its reported_value).");
    row2(a, "written as",
         "e.g. \"ECB 2025-01-22 spot\", \"ECB 2025-01-22 spot, via USD 5.5 billion (mbw)\", "
         "\"FED-H10 2025-01-23 spot, truncated\", \"ECB 2025-01-22 spot, 2 days before\" (a "
         "stale rate names its age in calendar days before D), with the count of the other "
         "hypotheses (distinct provider, R, basis, base figure, reading) that also explain it. "
         "None: unexplained.");
    row2(a, "details",
         "R is a day on which the provider prices the pair itself (no fallback). Two figures "
         "printed with the same currency and amount are one base figure, named after the "
         "smallest fact_id that printed it by D. truncated is cut toward zero: [v, v + 2h) "
         "for v > 0, (v - 2h, v] for v < 0. The full rules: docs/explanations.md.");
    row2(a, "same day",
         "A rate dated the same day as the source (R = D) counts as available: fxbook cannot "
         "tell from dates alone whether the source was published before the provider "
         "published that day's rate.");
    row2(a, "implied rate range",
         "For each source and pair of currencies it converted: the range of rates that "
         "reproduces every one of those conversions (direct, nearest reading), and which "
         "provider days fall inside it, or that no single rate explains them all: the "
         "Sources sheet, below the sources, and implied_rates.csv.");
}

static void options(about *a)
{
    heading(a, "The options as run");
    row2(a, "in full", a->b->options);
    rowf(a, "--target",
         "%s: the currencies amounts are converted into; the first, %s, drives the comparison.",
         a->targets, a->first);
    if (a->date[0])
        rowf(a, "--date", "%s: every fact valued at this date.", a->date);
    else
        row2(a, "--date", "Not given: each fact at its as_of, else published.");
    rowf(a, "--fallback", "%s", a->fallback);
    rowf(a, "--max-stale", "%s%s", a->stale, strcmp(a->stale, "none") == 0 ? "" : " days");
    rowf(a, "--places", "%s decimal places", a->places);
    rowf(a, "--rounding", "%s", a->rounding);
    rowf(a, "--tolerance", "%s %%: close, and the widening of about", a->tol);
    rowf(a, "--infer-window", "%s days: matching rate dates and hypotheses", a->window);
    row2(a, "rates",
         "Every rates and aliases file read, with its size in bytes and SHA-256: see Summary. "
         "Files are named as given on the command line; without -r, the installation's folder "
         "is shown as \"(default rates)/NAME\", the same wherever fxbook is installed.");
}

/* Every input and rates file, with size and SHA-256: the Summary lists
 * the first few and points here. */
static void files(about *a)
{
    fx_book *b = a->b;
    const fx_book_info *in = b->info;
    heading(a, "Every file read");
    for (size_t i = 0; i < in->ninputs && b->st == FX_OK; i++) {
        const fx_book_input *x = &in->inputs[i];
        bool src = x->kind == FX_INPUT_SOURCES;
        char name[512];
        snprintf(name, sizeof name, "%s", fx_sheet_shown_name(b, x->name));
        rowf(a, name, "%s file: %lld bytes, %zu %s, SHA-256 %s", fx_input_kind_name(x->kind),
             x->size, src ? x->sources : x->facts, src ? "sources" : "facts", x->sha256);
    }
    const fx_rate_table *t = in->rates;
    for (size_t i = 0; t && i < fx_rates_files(t) && b->st == FX_OK; i++) {
        char name[512];
        snprintf(name, sizeof name, "%s", fx_sheet_shown_name(b, fx_rates_file_shown(t, i)));
        rowf(a, name, "rates file: %lld bytes, SHA-256 %s", (long long)fx_rates_file_size(t, i),
             fx_rates_file_sha256(t, i));
    }
}

static void formulas(about *a)
{
    heading(a, "Formulas: how a number recomputes");
    rowf(a, "unrounded",
         "In Facts, \"CCY unrounded (formula)\" is a live formula: the fact's amount cell times the "
         "Rates cell (column D) of the rate used; divided by it when the rate is used inverted "
         "(the rate is 1 base = rate quote, and the amount is in quote); for a cross, the "
         "product of its two legs, each times or divided, e.g. =M5*Rates!$D$7/Rates!$D$9. "
         "Rounded to --places %s, %s, it gives \"CCY amount\". Conversions' \"computed unrounded "
         "(formula)\" is the same over the printed figure's amount.",
         a->places, a->rounding);
    row2(a, "cached value",
         "The value stored with each formula is fxbook's exact unrounded result as the nearest "
         "double, so a spreadsheet that recalculates agrees with it to 1e-12 relative. "
         "\"CCY amount\" is fxbook's exact rounded number, a value, not a formula.");
    row2(a, "exact digits",
         "Rates' rate is the nearest double of rate_exact, the rate as written in its file. A "
         "number with more significant digits than a double holds also carries its exact "
         "decimal as text in its \"(exact)\" column (there only when some value needs it).");
    row2(a, "text",
         "Text is always written as text: a cell that starts with =, +, - or @ is never a "
         "formula. A file name that is not UTF-8 shows each invalid byte as \\xHH.");
}

/* Header and footer of SPEC 6: file, sheet, page n of m. */
static void print_setup(about *a)
{
    fx_sheet_print_setup(a->b, a->ws, true, false); /* with the header and footer */
}

void fx_sheet_about_write(fx_book *b)
{
    about a = {.b = b, .ws = fx_sheet_add(b, "About"), .r = 0};
    if (!a.ws)
        return;
    values(&a);
    print_setup(&a);
    fx_sheet_lxw_ok(b, worksheet_set_column(a.ws, 0, 0, TOPIC_WIDTH, NULL), "column width");
    fx_sheet_lxw_ok(b, worksheet_set_column(a.ws, 1, 1, TEXT_WIDTH, NULL), "column width");
    fx_sheet_put_str(b, a.ws, a.r++, 0, "About this workbook", b->f_title);
    sheets(&a);
    intervals(&a);
    verdicts(&a);
    rates(&a);
    hypotheses(&a);
    options(&a);
    formulas(&a);
    files(&a);
}

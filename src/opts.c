/* opts - argv to fx_opts with getopt_long; every usage error is named. */
#include "opts.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

enum {
    O_DATE = 256, O_FALLBACK, O_MAX_STALE, O_PLACES, O_ROUNDING, O_TOLERANCE, O_INFER_WINDOW,
    O_CSV_DIR, O_CHECK, O_FAIL_ON, O_BASIS, O_PROVIDER,
};

static const struct option longopts[] = {
    {"output", required_argument, NULL, 'o'},
    {"rates", required_argument, NULL, 'r'},
    {"target", required_argument, NULL, 't'},
    {"date", required_argument, NULL, O_DATE},
    {"fallback", required_argument, NULL, O_FALLBACK},
    {"max-stale", required_argument, NULL, O_MAX_STALE},
    {"places", required_argument, NULL, O_PLACES},
    {"rounding", required_argument, NULL, O_ROUNDING},
    {"tolerance", required_argument, NULL, O_TOLERANCE},
    {"infer-window", required_argument, NULL, O_INFER_WINDOW},
    {"csv-dir", required_argument, NULL, O_CSV_DIR},
    {"check", no_argument, NULL, O_CHECK},
    {"fail-on", required_argument, NULL, O_FAIL_ON},
    {"basis", required_argument, NULL, O_BASIS},
    {"provider", required_argument, NULL, O_PROVIDER},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"version", no_argument, NULL, 'V'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

void fx_opts_usage(FILE *f)
{
    fputs("usage: fxbook [options] FACTS.csv [FACTS.csv ...] -o OUT.xlsx\n"
          "\n"
          "Converts hand-curated facts into one audited XLSX workbook with exact decimal\n"
          "arithmetic and the exchange rate of each fact's own day.\n"
          "\n"
          "  -o, --output FILE        workbook to write ('-' = standard output)\n"
          "  FACTS.csv ...            facts files; '-' reads standard input. An input with the\n"
          "                           header source,outlet,title,url,published (any order) is a\n"
          "                           sources file: what the Sources sheet says of each source\n"
          "  -r, --rates PATH         rates file or folder; repeatable (default: the installed rates/)\n"
          "  -t, --target CCY[,CCY]   target currencies, the first drives the comparison (USD)\n"
          "      --date YYYY-MM-DD    value every fact at this date (default: as_of, else published)\n"
          "      --fallback previous|none   no rate on the day: use an earlier one, or fail (previous)\n"
          "      --max-stale DAYS|none      how old a fallback rate may be (7)\n"
          "      --places N           decimal places of converted amounts, 0-18 (2)\n"
          "      --rounding half-even|half-up|down   the one final rounding (half-even)\n"
          "      --tolerance PCT      'close' and 'about' tolerance in percent (2)\n"
          "      --infer-window DAYS  days searched for the rate a source used (30)\n"
          "      --basis spot|month-average|quarter-average|year-average\n"
          "                           the rate: of the day, or the mean of the period's daily\n"
          "                           rates up to the day; a fact's basis column wins (spot)\n"
          "      --csv-dir DIR        also write facts.csv, comparison.csv, conversions.csv\n"
          "      --check              validate facts and rates, look up every rate; write nothing\n"
          "      --fail-on never|inconsistent|disagree   exit 1 on such findings (never)\n"
          "      --provider NAME[,NAME]   rate providers in order of preference (ECB when\n"
          "                           loaded, else every loaded provider), e.g. FED-H10,ECB\n"
          "  -q, --quiet              only errors on standard error\n"
          "  -v, --verbose            more on standard error\n"
          "      --version            print the version\n"
          "  -h, --help               this help\n"
          "\n"
          "Exit codes: 0 done, 1 --fail-on triggered, 64 usage, 65 bad data, 66 cannot open an\n"
          "input, 73 cannot create the output, 75 another run is writing the same output, 74 I/O\n"
          "error, 70 internal error. See fxbook(1).\n",
          f);
}

static fx_status usage(fx_diags *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static fx_status usage(fx_diags *d, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fx_diag_status(d, FX_E_USAGE, (fx_pos){0}, "%s (try 'fxbook --help')", msg);
}

/* A whole number in [lo, hi]; strict (no sign, space or exponent). */
static bool parse_count(const char *s, long lo, long hi, long *out)
{
    if (!*s || strlen(s) > 9)
        return false;
    long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
    }
    if (v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* --provider: names as the rates give them (ECB, FED-H10, BOE, a long
 * file's source or name); checked against the loaded rates later. */
static fx_status parse_providers(fx_opts *o, const char *arg, fx_diags *d)
{
    free(o->provider_buf);
    o->provider_buf = fx_xstrdup(arg);
    o->nproviders = 0;
    for (char *p = o->provider_buf;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (!*p)
            return usage(d, "--provider: \"%s\": a provider name is empty", arg);
        for (size_t i = 0; i < o->nproviders; i++)
            if (strcmp(o->providers[i], p) == 0)
                return usage(d, "--provider: \"%s\" names %s twice", arg, p);
        if (o->nproviders == FX_MAX_PROVIDERS)
            return usage(d, "--provider: \"%s\": at most %d providers", arg, FX_MAX_PROVIDERS);
        o->providers[o->nproviders++] = p;
        if (!comma)
            return FX_OK;
        p = comma + 1;
    }
}

static fx_status parse_targets(fx_opts *o, const char *arg, fx_diags *d)
{
    o->conv.ntargets = 0;
    const char *p = arg;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        fx_ccy c;
        if (!fx_ccy_parse(p, n, &c))
            return usage(d, "--target: \"%s\": expected ISO codes such as USD or USD,EUR", arg);
        for (size_t i = 0; i < o->conv.ntargets; i++)
            if (fx_ccy_eq(o->conv.targets[i], c))
                return usage(d, "--target: \"%s\" names a currency twice", arg);
        if (o->conv.ntargets == FX_MAX_TARGETS)
            return usage(d, "--target: \"%s\": at most 8 currencies", arg);
        o->conv.targets[o->conv.ntargets++] = c;
        if (!comma)
            return FX_OK;
        p = comma + 1;
    }
}

/* SPEC 1: a whole number of seconds from 1970 to 9999-12-31 (the last
 * day a workbook date holds); unset or empty: none. */
static fx_status parse_epoch(fx_opts *o, fx_diags *d)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    o->source_date_epoch = -1;
    if (!s || !*s)
        return FX_OK;
    long long v = 0;
    const long long max = 253402300799LL; /* 9999-12-31T23:59:59Z */
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > max)
            return usage(d, "SOURCE_DATE_EPOCH: \"%s\": expected whole seconds since 1970, "
                            "at most %lld (9999-12-31)", fx_diag_show(s, strlen(s)), max);
        v = v * 10 + (*p - '0');
    }
    if (v > max)
        return usage(d, "SOURCE_DATE_EPOCH: \"%s\": expected whole seconds since 1970, "
                        "at most %lld (9999-12-31)", fx_diag_show(s, strlen(s)), max);
    o->source_date_epoch = v;
    return FX_OK;
}

/* Options that take one value: given twice is a usage error, not "the
 * last wins" (a cron line edited by two people). */
static bool once(const char **seen, int ch, const char *name, fx_diags *d)
{
    if (seen[ch]) {
        usage(d, "%s given twice; give it once", name);
        return false;
    }
    seen[ch] = name;
    return true;
}

fx_status fx_opts_parse(fx_opts *o, int argc, char **argv, fx_diags *d)
{
    memset(o, 0, sizeof *o);
    o->conv.targets[0] = (fx_ccy){"USD"};
    o->conv.ntargets = 1;
    o->conv.lookup = (fx_lookup_opts){FX_FALLBACK_PREVIOUS, 7, NULL, 0};
    o->conv.places = 2;
    o->conv.rounding = FX_ROUND_HALF_EVEN;
    o->audit.infer_window = 30;
    fx_dec_init(&o->audit.tolerance);
    fx_dec_parse(&o->audit.tolerance, "2", 1);
    o->rates = fx_xcalloc((size_t)argc + 1, sizeof *o->rates);
    o->inputs = fx_xcalloc((size_t)argc + 1, sizeof *o->inputs);
    const char *tol = "2";

    opterr = 0;
    optind = 1;
    int ch, li;
    long n;
    const char *seen[O_PROVIDER + 1] = {0};
    while ((li = -1, ch = getopt_long(argc, argv, ":o:r:t:qvh", longopts, &li)) != -1) {
        /* the option as written, for messages: "--output" or "-o" */
        char opt[32];
        if (li >= 0)
            snprintf(opt, sizeof opt, "--%s", longopts[li].name);
        else
            snprintf(opt, sizeof opt, "-%c", ch);
        bool valued = optarg != NULL && ch != ':' && ch != '?';
        const char *arg = optarg ? optarg : ""; /* "" only where no value is read */
        if (valued && !*arg)
            return usage(d, "%s: the value is empty", opt);
        if (valued && ch != 'r' && !once(seen, ch, opt, d))
            return FX_E_USAGE;
        switch (ch) {
        case 'o':
            o->output = arg;
            break;
        case 'r':
            o->rates[o->nrates++] = arg;
            break;
        case 't':
            if (parse_targets(o, arg, d) != FX_OK)
                return FX_E_USAGE;
            break;
        case O_DATE:
            if (!fx_date_parse(arg, strlen(arg), &o->conv.date))
                return usage(d, "--date: \"%s\": expected YYYY-MM-DD, a day that exists", arg);
            o->conv.has_date = true;
            break;
        case O_FALLBACK:
            if (strcmp(arg, "previous") == 0)
                o->conv.lookup.fallback = FX_FALLBACK_PREVIOUS;
            else if (strcmp(arg, "none") == 0)
                o->conv.lookup.fallback = FX_FALLBACK_NONE;
            else
                return usage(d, "--fallback: \"%s\": expected previous or none", arg);
            break;
        case O_MAX_STALE:
            if (strcmp(arg, "none") == 0)
                o->conv.lookup.max_stale = -1;
            else if (parse_count(arg, 0, 100000, &n))
                o->conv.lookup.max_stale = n;
            else
                return usage(d, "--max-stale: \"%s\": expected a number of days or none", arg);
            break;
        case O_PLACES:
            if (!parse_count(arg, 0, 18, &n))
                return usage(d, "--places: \"%s\": expected a whole number from 0 to 18", arg);
            o->conv.places = (int)n;
            break;
        case O_ROUNDING:
            if (strcmp(arg, "half-even") == 0)
                o->conv.rounding = FX_ROUND_HALF_EVEN;
            else if (strcmp(arg, "half-up") == 0)
                o->conv.rounding = FX_ROUND_HALF_UP;
            else if (strcmp(arg, "down") == 0)
                o->conv.rounding = FX_ROUND_DOWN;
            else
                return usage(d, "--rounding: \"%s\": expected half-even, half-up or down", arg);
            break;
        case O_TOLERANCE:
            if (fx_dec_parse(&o->audit.tolerance, arg, strlen(arg)) != FX_DEC_OK ||
                fx_dec_sgn(&o->audit.tolerance) < 0)
                return usage(d, "--tolerance: \"%s\": expected a percentage such as 2 or 0.5",
                             arg);
            tol = arg;
            break;
        case O_INFER_WINDOW:
            if (!parse_count(arg, 0, 3660, &n))
                return usage(d, "--infer-window: \"%s\": expected days from 0 to 3660", arg);
            o->audit.infer_window = n;
            break;
        case O_CSV_DIR:
            o->csv_dir = arg;
            break;
        case O_CHECK:
            o->check = true;
            break;
        case O_FAIL_ON:
            if (strcmp(arg, "never") == 0)
                o->fail_on = FX_FAIL_NEVER;
            else if (strcmp(arg, "inconsistent") == 0)
                o->fail_on = FX_FAIL_INCONSISTENT;
            else if (strcmp(arg, "disagree") == 0)
                o->fail_on = FX_FAIL_DISAGREE;
            else
                return usage(d, "--fail-on: \"%s\": expected never, inconsistent or disagree",
                             arg);
            break;
        case O_BASIS:
            if (!fx_basis_parse(arg, strlen(arg), &o->conv.basis))
                return usage(d, "--basis: \"%s\": expected spot, month-average, quarter-average "
                                "or year-average", arg);
            break;
        case O_PROVIDER:
            if (parse_providers(o, arg, d) != FX_OK)
                return FX_E_USAGE;
            break;
        case 'q':
            o->verbosity = -1;
            break;
        case 'v':
            o->verbosity = 1;
            break;
        case 'V':
            o->action = FX_OPTS_VERSION;
            return FX_OK;
        case 'h':
            o->action = FX_OPTS_HELP;
            return FX_OK;
        case ':':
            return usage(d, "option %s needs a value", argv[optind - 1]);
        default:
            return usage(d, "unknown option %s", argv[optind - 1]);
        }
    }
    for (int i = optind; i < argc; i++) {
        if (!*argv[i])
            return usage(d, "%s", "a facts file name is empty");
        o->inputs[o->ninputs++] = argv[i];
    }
    if (o->ninputs == 0)
        return usage(d, "%s", "no facts file given");
    if (!o->output && !o->check && !o->csv_dir)
        return usage(d, "%s", "no output: give -o OUT.xlsx (or --csv-dir DIR, or --check)");
    if (parse_epoch(o, d) != FX_OK)
        return FX_E_USAGE;
    o->conv.lookup.providers = o->providers;
    o->conv.lookup.nproviders = o->nproviders;
    o->audit.places = o->conv.places;
    o->audit.rounding = o->conv.rounding;
    o->audit.lookup = o->conv.lookup;

    static const char *const rnames[] = {"half-even", "half-up", "down"};
    char targets[64] = "", date[11] = "", stale[24], tolerance[FX_DEC_STR_MAX];
    for (size_t i = 0, at = 0; i < o->conv.ntargets && at < sizeof targets; i++)
        at += (size_t)snprintf(targets + at, sizeof targets - at, "%s%s", i ? "," : "",
                               o->conv.targets[i].s);
    if (o->conv.has_date)
        fx_date_format(o->conv.date, date);
    /* in full, as a plain decimal: 1e-36 is shown with all its places */
    if (fx_dec_to_str(&o->audit.tolerance, tolerance, sizeof tolerance) < 0)
        snprintf(tolerance, sizeof tolerance, "%s", tol);
    if (o->conv.lookup.max_stale < 0)
        snprintf(stale, sizeof stale, "none");
    else
        snprintf(stale, sizeof stale, "%ld", o->conv.lookup.max_stale);
    snprintf(o->options, sizeof o->options,
             "--target %s%s%s --fallback %s --max-stale %s --places %d --rounding %s "
             "--basis %s --tolerance %s --infer-window %ld",
             targets, o->conv.has_date ? " --date " : "", date,
             o->conv.lookup.fallback == FX_FALLBACK_NONE ? "none" : "previous", stale,
             o->conv.places, rnames[o->conv.rounding], fx_basis_name(o->conv.basis), tolerance,
             o->audit.infer_window);
    if (o->nproviders) { /* the default (ECB when loaded) adds nothing: runs without it read the same */
        size_t at = strlen(o->options);
        at += (size_t)snprintf(o->options + at, sizeof o->options - at, " --provider ");
        for (size_t i = 0; i < o->nproviders && at < sizeof o->options; i++)
            at += (size_t)snprintf(o->options + at, sizeof o->options - at, "%s%s", i ? "," : "",
                                   o->providers[i]);
    }
    return FX_OK;
}

void fx_opts_clear(fx_opts *o)
{
    free(o->provider_buf);
    fx_dec_clear(&o->audit.tolerance);
    free(o->rates);
    free(o->inputs);
}

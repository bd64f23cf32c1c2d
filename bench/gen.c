/* gen - deterministic, seeded generator of N facts in the SPEC 2 format for
 * `make bench`. Invariant: the same N, seed and rates file give the same
 * bytes, and every file passes `fxbook --check` with the default options:
 * every money fact is valued on a day taken from the ECB file's own date
 * column on which its currency (and the reported unit's) has a rate, so no
 * fallback is ever needed.
 *
 * Besides the CSV it can write a side file for floor (b):
 *   -c FILE  the conversions fxbook does, one a line: "t value scale num den"
 *            into the target (the printed value, its power of ten, and the
 *            rate as num/den, the legs as written in the ECB file, "1" for
 *            none), then "a num den" for the audit's conversion of the same
 *            amount into the reported unit - for floor_dec.
 * (Floor (c), floor_xlsx, replays a trace of fxbook's own libxlsxwriter
 * calls: it needs nothing from here.) */
#define _DEFAULT_SOURCE /* strsep, getline */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSOURCES 50
#define MAXCCY 64

/* ---- helpers ---- */

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static void *xcalloc(size_t n, size_t k)
{
    void *p = calloc(n ? n : 1, k ? k : 1);
    if (!p)
        die("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

/* splitmix64: small, fast, and the same on every platform */
static uint64_t rng_state;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static double unif(void) /* [0, 1) */
{
    return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}
static size_t below(size_t n)
{
    return (size_t)(rnd() % n);
}
static double logunif(double lo, double hi)
{
    return exp(log(lo) + unif() * (log(hi) - log(lo)));
}

/* civil days (Howard Hinnant), 1970-01-01 = 0 */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}
static void civil_from_days(long z, char out[11])
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    snprintf(out, 11, "%04lu-%02u-%02u", (unsigned long)y % 10000, m % 100, d % 100);
}

/* ---- ECB history ---- */

typedef struct {
    char code[4];
    double weight;
    const char *aliases[4];
    size_t *dates; /* indices into days[] where the currency has a rate */
    size_t ndates;
} ccy;

static size_t ndays;
static long *days;        /* ascending day numbers */
static char (*dstr)[11];  /* their ISO text */
static char ***rate_txt;  /* [day][ccy] as written, NULL: none */
static double **rate_val; /* [day][ccy] */
static ccy ccys[MAXCCY];
static size_t nccy;
static size_t usd_ix;

static const struct {
    const char *code;
    double weight;
    const char *aliases[4];
} ccy_info[] = {
    {"USD", 18, {"$", "US$", "dollars", NULL}},
    {"EUR", 14, {"€", "euro", "euros", NULL}},
    {"CNY", 12, {"RMB", "yuan", "renminbi", NULL}},
    {"JPY", 7, {"yen", "JP¥", NULL, NULL}},
    {"GBP", 7, {"£", "pounds", "sterling", NULL}},
    {"CHF", 3, {"Swiss francs", NULL, NULL, NULL}},
    {"CAD", 3, {"C$", NULL, NULL, NULL}},
    {"AUD", 3, {"A$", NULL, NULL, NULL}},
    {"HKD", 3, {"HK$", NULL, NULL, NULL}},
    {"KRW", 3, {"won", "₩", NULL, NULL}},
    {"INR", 3, {"₹", NULL, NULL, NULL}},
    {"SGD", 2, {"S$", NULL, NULL, NULL}},
    {"SEK", 2, {NULL, NULL, NULL, NULL}},
    {"BRL", 2, {"R$", NULL, NULL, NULL}},
    {"MXN", 2, {"MX$", NULL, NULL, NULL}},
    {"NOK", 1, {NULL, NULL, NULL, NULL}},
    {"DKK", 1, {NULL, NULL, NULL, NULL}},
    {"PLN", 1, {"zł", NULL, NULL, NULL}},
    {"CZK", 1, {"Kč", NULL, NULL, NULL}},
    {"HUF", 1, {"Ft", NULL, NULL, NULL}},
    {"ZAR", 1, {"rand", NULL, NULL, NULL}},
    {"TRY", 1, {"₺", NULL, NULL, NULL}},
    {"IDR", 1, {"Rp", NULL, NULL, NULL}},
    {"MYR", 1, {"RM", NULL, NULL, NULL}},
    {"THB", 1, {"฿", NULL, NULL, NULL}},
    {"PHP", 1, {"₱", NULL, NULL, NULL}},
    {"ILS", 1, {"₪", NULL, NULL, NULL}},
    {"NZD", 1, {"NZ$", NULL, NULL, NULL}},
    {"RUB", 1, {"₽", NULL, NULL, NULL}},
};
#define DEFAULT_WEIGHT 0.3 /* BGN, RON, ISK and the series that ended: CYP, MTL, SIT, ... */

static void load_rates(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open %s", path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    size_t col_ccy[MAXCCY]; /* file column -> ccys index + 1 */
    size_t ncols = 0, capdays = 0;
    int header = 1;
    /* EUR is the base of every ECB rate: index 0, rate 1 on every day */
    memcpy(ccys[0].code, "EUR", 4);
    nccy = 1;
    while ((len = getline(&line, &cap, f)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *tok;
        size_t c = 0;
        if (header) {
            header = 0;
            for (char *p = line; (tok = strsep(&p, ",")) != NULL; c++) {
                col_ccy[c] = 0;
                if (c == 0 || !*tok)
                    continue;
                if (strlen(tok) != 3 || nccy == MAXCCY)
                    die("%s: unexpected column %s", path, tok);
                memcpy(ccys[nccy].code, tok, 4);
                col_ccy[c] = ++nccy;
            }
            ncols = c;
            continue;
        }
        if (ndays == capdays) {
            capdays = capdays ? 2 * capdays : 8192;
            days = realloc(days, capdays * sizeof *days);
            dstr = realloc(dstr, capdays * sizeof *dstr);
            rate_txt = realloc(rate_txt, capdays * sizeof *rate_txt);
            rate_val = realloc(rate_val, capdays * sizeof *rate_val);
            if (!days || !dstr || !rate_txt || !rate_val)
                die("out of memory");
        }
        char **txt = xcalloc(MAXCCY, sizeof *txt); /* index 0: EUR, the base */
        double *val = xcalloc(MAXCCY, sizeof *val);
        txt[0] = xstrdup("1");
        val[0] = 1;
        for (char *p = line; (tok = strsep(&p, ",")) != NULL && c < ncols; c++) {
            if (c == 0) {
                int y, m, d;
                if (sscanf(tok, "%4d-%2d-%2d", &y, &m, &d) != 3)
                    die("%s: bad date %s", path, tok);
                days[ndays] = days_from_civil(y, (unsigned)m, (unsigned)d);
                snprintf(dstr[ndays], 11, "%s", tok);
            } else if (col_ccy[c] && *tok && strcmp(tok, "N/A") != 0) {
                txt[col_ccy[c] - 1] = xstrdup(tok);
                val[col_ccy[c] - 1] = strtod(tok, NULL); /* sizing only, never exactness */
            }
        }
        rate_txt[ndays] = txt;
        rate_val[ndays] = val;
        ndays++;
    }
    free(line);
    fclose(f);
    if (ndays < 2)
        die("%s: no rates", path);
    /* the real file is newest first: make it ascending */
    for (size_t i = 0, j = ndays - 1; i < j; i++, j--) {
        long td = days[i];
        days[i] = days[j], days[j] = td;
        char ts[11];
        memcpy(ts, dstr[i], 11), memcpy(dstr[i], dstr[j], 11), memcpy(dstr[j], ts, 11);
        char **tt = rate_txt[i];
        rate_txt[i] = rate_txt[j], rate_txt[j] = tt;
        double *tv = rate_val[i];
        rate_val[i] = rate_val[j], rate_val[j] = tv;
    }
    usd_ix = (size_t)-1;
    for (size_t k = 0; k < nccy; k++)
        if (strcmp(ccys[k].code, "USD") == 0)
            usd_ix = k;
    if (usd_ix == (size_t)-1)
        die("%s: no USD column", path);
    for (size_t k = 0; k < nccy; k++) {
        ccy *c = &ccys[k];
        c->weight = DEFAULT_WEIGHT;
        for (size_t i = 0; i < sizeof ccy_info / sizeof ccy_info[0]; i++)
            if (strcmp(ccy_info[i].code, c->code) == 0) {
                c->weight = ccy_info[i].weight;
                memcpy(c->aliases, ccy_info[i].aliases, sizeof c->aliases);
            }
        /* days on which the currency can be priced in USD (and EUR) */
        c->dates = xmalloc(ndays * sizeof *c->dates);
        for (size_t d = 0; d < ndays; d++)
            if (rate_txt[d][k] && rate_txt[d][usd_ix])
                c->dates[c->ndates++] = d;
    }
}

static size_t pick_ccy(void)
{
    double total = 0;
    for (size_t k = 0; k < nccy; k++)
        total += ccys[k].ndates ? ccys[k].weight : 0;
    double x = unif() * total;
    for (size_t k = 0; k < nccy; k++) {
        if (!ccys[k].ndates)
            continue;
        if (x < ccys[k].weight)
            return k;
        x -= ccys[k].weight;
    }
    return 0;
}

/* ---- vocabulary ---- */

typedef enum { K_MONEY, K_COUNT, K_PERCENT, K_DAYS, K_MONTHS, K_YEARS } kind;
static const char *const kind_unit[] = {"", "count", "percent", "days", "months", "years"};

static const struct {
    const char *slug, *phrase;
    kind k;
    double lo, hi; /* money: USD */
    int can_be_negative;
} metrics[] = {
    {"revenue", "revenue", K_MONEY, 1e6, 5e11, 0},
    {"capex", "capital expenditure", K_MONEY, 1e6, 8e10, 0},
    {"ai_capex", "AI infrastructure spending", K_MONEY, 1e7, 8e10, 0},
    {"rd_spend", "research and development", K_MONEY, 1e6, 4e10, 0},
    {"net_income", "net income", K_MONEY, 1e5, 1e11, 1},
    {"chip_orders", "chip procurement", K_MONEY, 1e6, 3e10, 0},
    {"market_cap", "market value", K_MONEY, 1e8, 3e12, 0},
    {"funding_round", "a funding round", K_MONEY, 1e5, 1e10, 0},
    {"acquisition", "the acquisition", K_MONEY, 1e6, 7e10, 0},
    {"datacenter_investment", "data-centre investment", K_MONEY, 1e7, 1e11, 0},
    {"buyback", "share buybacks", K_MONEY, 1e7, 9e10, 0},
    {"fine", "the regulator's fine", K_MONEY, 1e4, 5e9, 0},
    {"employees", "employees", K_COUNT, 10, 5e5, 0},
    {"gpu_units", "GPUs", K_COUNT, 100, 2e6, 0},
    {"market_share", "market share", K_PERCENT, 0.1, 80, 0},
    {"growth", "growth", K_PERCENT, 0.5, 300, 1},
    {"delivery", "delivery time", K_DAYS, 1, 365, 0},
    {"contract", "the contract term", K_MONTHS, 1, 120, 0},
    {"payback", "the payback period", K_YEARS, 1, 40, 0},
};
#define NMETRICS (sizeof metrics / sizeof metrics[0])
#define NMONEY 12 /* the first NMONEY metrics are money */

static const char *const sources[NSOURCES] = {
    "reuters",        "bloomberg",     "ft",             "wsj",           "nikkei-asia",
    "scmp",           "caixin",        "handelsblatt",   "les-echos",     "economist",
    "cnbc",           "techcrunch",    "the-information", "yicai",        "21st-century",
    "korea-herald",   "economic-times", "mint",          "globe-and-mail", "afr",
    "straits-times",  "bangkok-post",  "valor",          "el-pais",       "il-sole-24-ore",
    "nzz",            "dagens-nyheter", "borsen",        "rzeczpospolita", "hospodarske-noviny",
    "portfolio-hu",   "moneyweb",      "hurriyet-daily", "kontan",        "the-edge-my",
    "inquirer",       "globes",        "kommersant",     "barrons",       "marketwatch",
    "fortune",        "forbes",        "axios",          "semafor",       "digitimes",
    "trendforce",     "counterpoint",  "idc",            "gartner",       "company-filing",
};

static const char *const roots[] = {
    "nor", "vex", "tal", "qui", "bran", "sol", "ker", "mira", "dax", "lum",  "zen", "ori",
    "pax", "vel", "cor", "tri", "hal", "syn", "arc", "nova", "gen", "ver",  "kin", "lys",
    "ob",  "ty",  "mon", "ra",  "xen", "ula", "fer", "dor",  "bel", "cas",  "ion", "tek",
};
static const char *const suffixes[] = {
    " Holdings", " Group", " Technologies", ", Inc.", " AG", " SA", " Ltd", " plc",
    " Co., Ltd.", "", " Semiconductor", " Networks", " Énergie", " Müller & Söhne",
};

typedef struct {
    char *name, *slug;
} entity;

typedef struct {
    char *id;
    size_t ent;
    size_t metric;
    double base; /* money: USD; else in the unit */
    int year;
    int noisy; /* its sources' figures differ (else they all agree) */
} claim;

static void make_entity(entity *e, size_t i)
{
    char slug[64] = "", name[128];
    int n = 2 + (int)below(2);
    for (int k = 0; k < n; k++)
        strcat(slug, roots[below(sizeof roots / sizeof roots[0])]);
    char idx[24];
    snprintf(idx, sizeof idx, "%zu", i); /* unique slugs */
    strcat(slug, idx);
    snprintf(name, sizeof name, "%c%s%s", slug[0] - 32, slug + 1,
             suffixes[below(sizeof suffixes / sizeof suffixes[0])]);
    /* the digits are a generator's artefact: drop them from the display name */
    char *p = name, *q = name;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            *q++ = *p;
    *q = '\0';
    e->name = xstrdup(name);
    e->slug = xstrdup(slug);
}

/* ---- printing figures ---- */

static const char *const scale_names[] = {"", "thousand", "million", "billion", "trillion"};

typedef struct {
    char value[48];
    int scale; /* power of ten */
    int places; /* printed decimals */
} printed;

/* Prints x with `sig` significant digits in the scale that makes it read
 * naturally ("5.5 billion"), or (plain) without a scale. */
static void print_figure(printed *p, double x, int sig, int plain)
{
    double a = fabs(x);
    int scale = 0;
    if (!plain)
        for (int s = 12; s >= 3; s -= 3)
            if (a >= pow(10, s)) {
                scale = s;
                break;
            }
    double v = x / pow(10, scale);
    int intd = fabs(v) >= 1 ? (int)floor(log10(fabs(v))) + 1 : 1;
    int places = sig > intd ? sig - intd : 0;
    if (plain && places > 2)
        places = 2;
    snprintf(p->value, sizeof p->value, "%.*f", places, v);
    if (strcmp(p->value, "0") == 0 || strcmp(p->value, "-0") == 0) /* too small to show */
        snprintf(p->value, sizeof p->value, "%s1", x < 0 ? "-" : "");
    if (p->value[0] == '-' && strspn(p->value + 1, "0.") == strlen(p->value + 1))
        memmove(p->value, p->value + 1, strlen(p->value)); /* "-0.0" */
    p->scale = scale;
    p->places = places;
}

static double printed_value(const printed *p)
{
    return strtod(p->value, NULL) * pow(10, p->scale);
}

/* ---- CSV output ---- */

static void put_field(FILE *f, const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputc(last ? '\n' : ',', f);
}

/* ---- main ---- */

static void usage(void)
{
    fprintf(stderr, "usage: gen -n N [-s SEED] [-r ECB.csv] [-c CONV] -o FACTS.csv\n");
    exit(64);
}

int main(int argc, char **argv)
{
    size_t n = 0;
    uint64_t seed = 20250509;
    const char *rates = "rates/eurofxref-hist.csv", *out = NULL, *conv_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            usage();
        if (!strcmp(argv[i], "-n"))
            n = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "-s"))
            seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "-r"))
            rates = argv[++i];
        else if (!strcmp(argv[i], "-o"))
            out = argv[++i];
        else if (!strcmp(argv[i], "-c"))
            conv_path = argv[++i];
        else
            usage();
    }
    if (!n || !out)
        usage();
    rng_state = seed;
    load_rates(rates);

    size_t nclaims = n / 20 ? n / 20 : 1;
    size_t nent = nclaims / 4 ? nclaims / 4 : 1;
    entity *ents = xcalloc(nent, sizeof *ents);
    for (size_t i = 0; i < nent; i++)
        make_entity(&ents[i], i);
    claim *claims = xcalloc(nclaims, sizeof *claims);
    for (size_t i = 0; i < nclaims; i++) {
        claim *c = &claims[i];
        c->ent = below(nent);
        /* 85% money, the rest spread over the other kinds */
        c->metric = unif() < 0.85 ? below(NMONEY) : NMONEY + below(NMETRICS - NMONEY);
        c->base = logunif(metrics[c->metric].lo, metrics[c->metric].hi);
        c->year = 2000 + (int)below(26);
        c->noisy = unif() < 0.6;
        char id[128];
        snprintf(id, sizeof id, "%s_%s_%d_c%zu", ents[c->ent].slug, metrics[c->metric].slug,
                 c->year, i);
        c->id = xstrdup(id);
    }

    FILE *f = fopen(out, "w");
    FILE *cf = conv_path ? fopen(conv_path, "w") : NULL;
    if (!f || (conv_path && !cf))
        die("cannot create an output");
    static char fbuf[1 << 16], cbuf[1 << 16];
    setvbuf(f, fbuf, _IOFBF, sizeof fbuf);
    if (cf)
        setvbuf(cf, cbuf, _IOFBF, sizeof cbuf);

    fputs("fact_id,entity,claim,source,published,value,scale,unit,qualifier,as_of,"
          "reported_value,reported_scale,reported_unit,quote,note\n",
          f);
    for (size_t i = 0; i < n; i++) {
        size_t ci = below(nclaims);
        claim *cl = &claims[ci];
        const entity *en = &ents[cl->ent];
        kind k = metrics[cl->metric].k;
        size_t src = below(NSOURCES);
        char fact_id[32];
        snprintf(fact_id, sizeof fact_id, "f%08zu", i + 1);

        /* the valuation day: one the currency (and USD) has a rate on */
        size_t cc = 0;
        size_t di;
        if (k == K_MONEY) {
            cc = pick_ccy();
            di = ccys[cc].dates[below(ccys[cc].ndates)];
        } else {
            di = below(ndays);
        }
        char published[11], as_of[11] = "";
        long pub_day = days[di];
        if (unif() < 0.2) { /* valued at an earlier day than it was published */
            memcpy(as_of, dstr[di], 11);
            pub_day = days[di] + (long)below(120);
            civil_from_days(pub_day, published);
        } else {
            memcpy(published, dstr[di], 11);
        }

        /* the figure */
        double x;
        if (k == K_MONEY)
            x = cl->base * rate_val[di][cc] / rate_val[di][usd_ix];
        else
            x = cl->base;
        if (cl->noisy && unif() < 0.5) /* a source with another figure */
            x *= 0.85 + 0.3 * unif();
        if (cl->noisy && metrics[cl->metric].can_be_negative && unif() < 0.1)
            x = -x;
        printed fig;
        int plain = unif() < 0.15 || k == K_DAYS || k == K_MONTHS || k == K_YEARS ||
                    k == K_PERCENT;
        /* days, months and years are whole numbers */
        int sig = k == K_DAYS || k == K_MONTHS || k == K_YEARS ? 1 : 2 + (int)below(3);
        print_figure(&fig, x, sig, plain);
        double amount = printed_value(&fig);

        const char *unit;
        if (k == K_MONEY) {
            const char *alias = ccys[cc].aliases[below(4)];
            if (alias && unif() < 0.3)
                unit = alias;
            else
                unit = ccys[cc].code;
        } else {
            unit = kind_unit[k];
        }
        double q = unif();
        const char *qual = q < 0.12 ? "about" : q < 0.17 ? "at_least" : q < 0.20 ? "at_most" : "";

        /* the source's own conversion, for about a third of the facts */
        int has_rep = k == K_MONEY && unif() < 0.38;
        printed rep = {"", 0, 0};
        size_t rc = 0;
        const char *rep_unit = "";
        if (has_rep) {
            const char *code = ccys[cc].code;
            rc = strcmp(code, "USD") == 0 ? 0 /* EUR */
                 : strcmp(code, "EUR") == 0 ? usd_ix
                 : unif() < 0.85            ? usd_ix
                                            : 0;
            /* the rate the source used: that day's, or one a few rows before */
            size_t ui = di;
            if (unif() < 0.2) {
                size_t back = 1 + below(8);
                ui = di >= back ? di - back : di;
                if (!rate_txt[ui][cc] || !rate_txt[ui][rc])
                    ui = di;
            }
            double truth = amount * rate_val[ui][rc] / rate_val[ui][cc];
            double r = unif();
            if (r < 0.12)
                truth *= 1 + (unif() < 0.5 ? -1 : 1) * (0.004 + 0.016 * unif()); /* close */
            else if (r < 0.25)
                truth *= 1 + (unif() < 0.5 ? -1 : 1) * (0.03 + 0.4 * unif()); /* off */
            print_figure(&rep, truth, 2 + (int)below(2), unif() < 0.1);
            const char *alias = ccys[rc].aliases[below(3)];
            rep_unit = alias && unif() < 0.25 ? alias : ccys[rc].code;
        }

        /* the source's words */
        const char *sym = unit;
        char figtxt[96], reptxt[96] = "";
        if (k == K_MONEY)
            snprintf(figtxt, sizeof figtxt, "%s %s%s%s", sym, fig.value, fig.scale ? " " : "",
                     scale_names[fig.scale / 3]);
        else
            snprintf(figtxt, sizeof figtxt, "%s%s%s %s", fig.value, fig.scale ? " " : "",
                     scale_names[fig.scale / 3], k == K_COUNT ? "" : unit);
        if (has_rep)
            snprintf(reptxt, sizeof reptxt, " (%s %s%s%s)", rep_unit, rep.value,
                     rep.scale ? " " : "", scale_names[rep.scale / 3]);
        static const char *const lead[] = {
            "%s said it would commit %s%s to %s in %d",
            "%s has earmarked %s%s for %s in fiscal %d",
            "In %5$d, %1$s reported %4$s of %2$s%3$s",
            "%1$s's %4$s reached %2$s%3$s in %5$d, the company said on Tuesday",
            "According to people familiar with the matter, %1$s put %4$s at %2$s%3$s for %5$d",
        };
        static const char *const tails[] = {
            ", according to a filing seen by reporters",
            ", up from a year earlier",
            " - a figure analysts called \"ambitious\"",
            ", the people said, asking not to be named",
            ", though the company declined to comment",
            "; the plan still needs the board's approval",
            ", which would make it one of the largest in the sector",
            " — the company's first such disclosure",
        };
        char quote[512];
        int ql = snprintf(quote, sizeof quote, lead[below(5)], en->name, figtxt, reptxt,
                          metrics[cl->metric].phrase, cl->year);
        size_t want = 80 + below(71);
        while ((size_t)ql < want && (size_t)ql < sizeof quote - 80)
            ql += snprintf(quote + ql, sizeof quote - (size_t)ql, "%s",
                           tails[below(sizeof tails / sizeof tails[0])]);
        quote[sizeof quote - 1] = '\0';

        char note[256] = "";
        double nr = unif();
        if (nr < 0.25)
            snprintf(note, sizeof note, "cites \"%s\", %d annual report; figure rounded",
                     sources[below(NSOURCES)], cl->year);
        else if (nr < 0.45)
            snprintf(note, sizeof note, "headline says \"%s\", body repeats it", figtxt);
        else if (nr < 0.55)
            snprintf(note, sizeof note, "dated by its dateline, p. %zu", 1 + below(40));
        else if (nr < 0.60)
            snprintf(note, sizeof note, "paywalled; quoted from the syndicated copy");

        /* the row */
        put_field(f, fact_id, 0);
        put_field(f, en->name, 0);
        put_field(f, cl->id, 0);
        put_field(f, sources[src], 0);
        put_field(f, published, 0);
        put_field(f, fig.value, 0);
        put_field(f, scale_names[fig.scale / 3], 0);
        put_field(f, unit, 0);
        put_field(f, qual, 0);
        put_field(f, as_of, 0);
        put_field(f, rep.value, 0);
        put_field(f, has_rep ? scale_names[rep.scale / 3] : "", 0);
        put_field(f, rep_unit, 0);
        put_field(f, quote, 0);
        put_field(f, note, 1);

        /* the conversions fxbook does: into USD, and the audit's into the
         * reported unit; each a cross through EUR (num = EUR->to, den = EUR->from) */
        if (k == K_MONEY && cf) {
            const char *num = cc == usd_ix ? "1" : rate_txt[di][usd_ix];
            const char *den = cc == usd_ix ? "1" : rate_txt[di][cc];
            fprintf(cf, "t %s %d %s %s\n", fig.value, fig.scale, num, den);
            if (has_rep) /* the same amount, into the reported unit */
                fprintf(cf, "a %s %s\n", rate_txt[di][rc], rate_txt[di][cc]);
        }
    }
    if (fclose(f) != 0 || (cf && fclose(cf) != 0))
        die("cannot write an output");
    return 0;
}

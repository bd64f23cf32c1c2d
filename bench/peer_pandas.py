#!/usr/bin/python3
"""peer_pandas - the script a finance team would write instead of fxbook,
for `make bench` to time on the same facts file: pandas read_csv, the ECB
history melted to long form, merge_asof for the dated rate (the latest
rate on or before the valuation day, at most 7 days old), the conversion
into USD in binary floating point, the reported conversions checked with a
2 % tolerance, a pivot_table by claim x source, and to_excel with the
XlsxWriter engine (two sheets: Facts and Comparison).

It is not fxbook: no exact arithmetic, no printed precision, no matching
rate dates, no formulas, no provenance. It is what fxbook is measured
against. Run it with Debian's /usr/bin/python3 (python3-pandas,
python3-xlsxwriter).

usage: peer_pandas.py FACTS.csv OUT.xlsx [RATES_DIR]
"""
import sys

import numpy as np
import pandas as pd

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
NON_MONEY = {"count", "percent", "days", "months", "years"}
TOLERANCE = 2.0  # percent


def load_rates(rates_dir):
    """The ECB history (1 EUR = x CCY), long form: date, ccy, eur_rate."""
    ecb = pd.read_csv(f"{rates_dir}/eurofxref-hist.csv", na_values=["N/A"])
    ecb = ecb.loc[:, ~ecb.columns.str.startswith("Unnamed")]
    ecb["Date"] = pd.to_datetime(ecb["Date"])
    long = ecb.melt(id_vars="Date", var_name="ccy", value_name="eur_rate").dropna()
    eur = pd.DataFrame({"Date": ecb["Date"], "ccy": "EUR", "eur_rate": 1.0})
    long = pd.concat([long, eur], ignore_index=True)
    return long.rename(columns={"Date": "rate_date"}).sort_values("rate_date")


def dated_rate(df, date_col, ccy_col, rates, name):
    """Adds column `name`: EUR->ccy rate of the latest day <= date (7 days at most)."""
    left = df[[date_col, ccy_col]].reset_index().sort_values(date_col)
    m = pd.merge_asof(left, rates, left_on=date_col, right_on="rate_date",
                      left_by=ccy_col, right_by="ccy", direction="backward",
                      tolerance=pd.Timedelta(days=7))
    df[name] = m.set_index("index")["eur_rate"]
    if name == "rate_from":
        df["rate_date"] = m.set_index("index")["rate_date"]


def main():
    facts_path, out = sys.argv[1], sys.argv[2]
    rates_dir = sys.argv[3] if len(sys.argv) > 3 else "rates"
    facts = pd.read_csv(facts_path, dtype={"fact_id": str, "value": float,
                                           "reported_value": float},
                        keep_default_na=False, na_values={"value": [""], "reported_value": [""]})
    aliases = pd.read_csv(f"{rates_dir}/aliases.csv", keep_default_na=False)
    alias = dict(zip(aliases["alias"], aliases["code"]))
    rates = load_rates(rates_dir)

    facts["valuation_date"] = pd.to_datetime(
        facts["as_of"].where(facts["as_of"] != "", facts["published"]))
    facts["amount"] = facts["value"] * facts["scale"].map(SCALES).fillna(1.0)
    facts["ccy"] = facts["unit"].map(lambda u: alias.get(u, u))
    money = ~facts["ccy"].isin(NON_MONEY)

    # the amount in USD: amount / (EUR->ccy) * (EUR->USD)
    facts["usd"] = "USD"
    dated_rate(facts, "valuation_date", "ccy", rates, "rate_from")
    dated_rate(facts, "valuation_date", "usd", rates, "rate_usd")
    facts["amount_usd"] = np.where(money, facts["amount"] / facts["rate_from"] * facts["rate_usd"],
                                   facts["amount"])
    facts["amount_usd"] = facts["amount_usd"].round(2)
    facts.loc[~money, "rate_date"] = pd.NaT

    # the sources' own conversions: deviation from ours, 2 % tolerance
    rep = facts["reported_unit"] != ""
    facts["reported_ccy"] = facts["reported_unit"].map(lambda u: alias.get(u, u))
    dated_rate(facts, "valuation_date", "reported_ccy", rates, "rate_reported")
    reported = facts["reported_value"] * facts["reported_scale"].map(SCALES).fillna(1.0)
    computed = facts["amount"] / facts["rate_from"] * facts["rate_reported"]
    facts["computed_amount"] = computed.where(rep).round(2)
    facts["deviation_pct"] = (100 * (reported - computed) / computed).where(rep).round(4)
    facts["verdict"] = np.select(
        [~rep, facts["deviation_pct"].abs() <= TOLERANCE, facts["deviation_pct"].notna()],
        ["", "consistent", "inconsistent"], "unverifiable")

    # claim x source, the first figure of each source
    comparison = facts.pivot_table(index="claim", columns="source", values="amount_usd",
                                   aggfunc="first")
    spread = comparison.agg(["min", "max"], axis=1)
    comparison["min"] = spread["min"]
    comparison["max"] = spread["max"]
    comparison["spread_pct"] = (100 * (spread["max"] - spread["min"]) / spread["min"]).round(4)

    cols = ["fact_id", "entity", "claim", "source", "published", "valuation_date", "value",
            "scale", "unit", "ccy", "qualifier", "amount", "amount_usd", "rate_date",
            "reported_value", "reported_unit", "computed_amount", "deviation_pct", "verdict",
            "quote", "note"]
    with pd.ExcelWriter(out, engine="xlsxwriter",
                        datetime_format="yyyy-mm-dd", date_format="yyyy-mm-dd") as xw:
        facts[cols].to_excel(xw, sheet_name="Facts", index=False)
        comparison.to_excel(xw, sheet_name="Comparison")


if __name__ == "__main__":
    main()

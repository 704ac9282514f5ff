// convergent identify: integer relations (LLL, cross-checked by PSLQ) that name a number or a
// PCF's limit, with the acceptance rule of docs/IDENTIFY.md.
#include "src/cli/common.hpp"
#include "src/constants.hpp"
#include "src/decimal.hpp"
#include "src/identify.hpp"

#include <cctype>
#include <iostream>
#include <sstream>

namespace cvg::cli {
namespace {

constexpr long kMinDigits = 12;

const char* kRule =
    "identified = reproduces every digit, and those digits are >= 2 x (digits of all its coefficients) + 10, "
    "and PSLQ/LLL agree, and (PCF) it still holds evaluated twice as deep; anything else is a candidate "
    "(docs/IDENTIFY.md)";

struct IdentifyArgs {
    std::string value;
    std::string a, b;
    std::string basis;
    bool auto_families = false;
    std::string max_coef;
    long digits = 0;
    int64_t max_depth = 10'000'000;
    std::string method = "lll";
    bool no_cross_check = false;
    bool json = false;
    int threads = 0;
};

std::string read_value_file(const std::string& path) {
    std::string s = read_arg_file("VALUE", path);
    if (s.find_first_not_of(" \t\r\n") == std::string::npos) throw UsageError("VALUE", "file '" + path + "' is empty");
    return s;
}

Int parse_max_coef(const std::string& text) {
    bool ok = !text.empty() && text.size() <= 4000;
    for (char c : text) ok = ok && std::isdigit(static_cast<unsigned char>(c));
    Int m;
    if (ok) fmpz_set_str(m.get(), text.c_str(), 10);
    if (!ok || m.sign() <= 0) throw UsageError("--max-coef", "expected a positive integer, got '" + text + "'");
    return m;
}

IdentifyOptions identify_options(const IdentifyArgs& args) {
    IdentifyOptions o;
    if (!args.basis.empty()) {
        std::stringstream ss(args.basis);
        std::string item;
        while (std::getline(ss, item, ',')) {
            std::string t;
            for (char c : item)
                if (!std::isspace(static_cast<unsigned char>(c))) t += c;
            if (t == "1") continue;
            try {
                o.basis.push_back(parse_constant(t).str());
            } catch (const ParseError& e) {
                throw UsageError("--basis", e.what());
            }
        }
        if (o.basis.empty()) throw UsageError("--basis", "no constant given");
    }
    if (!args.max_coef.empty()) o.max_coef = parse_max_coef(args.max_coef);
    o.method = args.method == "pslq" ? RelationMethod::pslq : RelationMethod::lll;
    o.cross_check = !args.no_cross_check;
    return o;
}

std::string value_text(const Target& t) {
    if (!t.text.empty()) return t.text;
    Decimal d = certified_decimal(t.value, t.digits);
    if (d.count() < t.digits) {  // estimated digits, or a ball astride a digit boundary (exactly 1/5):
                                 // the midpoint rounded to the digits
        char* s = arb_get_str(t.value.get(), std::max<long>(t.digits, 1), ARB_STR_NO_RADIUS);
        std::string r(s);
        flint_free(s);
        return r;
    }
    return d.str();
}

Json target_json(const Target& t) {
    Json j;
    j["value"] = value_text(t);
    j["digits"] = t.digits;
    j["certified"] = t.certified;
    j["origin"] = t.origin;
    return j;
}

Json finding_json(const Finding& f, const Json& input, const PcfIdentification* pcf) {
    Json j;
    j["status"] = f.accepted ? "identified" : "candidate";
    j["text"] = f.relation.text();
    j["family"] = f.family;
    j["relation"] = Json::parse(f.relation.json());
    j["digits_available"] = f.digits_available;
    j["digits_matched"] = f.digits_matched;
    j["coefficient_digits"] = f.relation.coefficient_digits();
    j["digits_needed"] = f.relation.digits_needed();
    j["search_digits"] = f.search_digits;
    j["cross_check"] = f.cross_checked ? Json(f.cross_check) : Json(nullptr);
    if (f.cross_checked) j["cross_check_agrees"] = f.cross_check_agrees;
    if (pcf && f.deeper_checked) {
        j["deeper"] = Json{{"depth", pcf->deeper_depth}, {"digits", f.deeper_digits}, {"matched", f.deeper_matched},
                           {"holds", f.deeper_holds}, {"origin", pcf->deeper.origin}};
    } else {
        j["deeper"] = nullptr;
    }
    j["verdict"] = f.verdict;
    j["input"] = input;
    j["rule"] = kRule;
    return j;
}

void print_findings(const std::vector<Finding>& findings, const PcfIdentification* pcf) {
    if (findings.empty()) std::cout << "result      no relation found\n";
    bool any = false;
    for (const Finding& f : findings) any = any || f.accepted;
    if (!findings.empty() && !any) std::cout << "result      not identified (candidates only)\n";
    for (const Finding& f : findings) {
        std::cout << "\n" << (f.accepted ? "identified  " : "candidate   ") << f.relation.text() << "\n"
                  << "family      " << f.family << "\n"
                  << "relation    " << f.relation.json() << "\n"
                  << "digits      " << f.verdict << "\n";
        if (f.cross_checked) std::cout << "check       " << f.cross_check << "\n";
        if (pcf && f.deeper_checked)
            std::cout << "deeper      depth " << pcf->deeper_depth << ": holds to " << f.deeper_matched << " of "
                      << f.deeper_digits << " digits" << (f.deeper_holds ? " (all)" : " (FAILS)") << "\n";
        else if (!pcf)
            std::cout << "deeper      none: a decimal has no deeper evaluation (digits rule only)\n";
    }
    std::cout << "\nrule        " << kRule << "\n";
}

Json pcf_input_json(const Pcf& pcf, const PcfIdentification& id) {
    Json in = target_json(id.first);
    in["kind"] = "pcf";
    in["a"] = pcf.a.to_expr();
    in["b"] = pcf.b.to_expr();
    in["depth"] = id.first_depth;
    return in;
}

PcfIdentification run_pcf(const Pcf& pcf, const IdentifyOptions& io, long digits, uint64_t max_depth) {
    PcfIdentifyOptions po;
    po.digits = digits;
    po.max_depth = max_depth;
    po.identify = io;
    Progress progress("identify");
    po.identify.progress = [&](const std::string& s) { progress.update(s); };
    PcfIdentification id = identify_pcf(pcf, po);
    progress.done();
    return id;
}

void print_pcf_header(const PcfIdentification& id) {
    std::cout << "value       " << value_text(id.first) << "\n"
              << "            " << id.first.digits << " digits, " << id.first.origin << "\n";
    if (id.deeper_done)
        std::cout << "deeper      " << id.deeper.digits << " digits, " << id.deeper.origin << "\n";
    if (!id.note.empty()) std::cout << "note        " << id.note << "\n";
}

void run_identify(const IdentifyArgs& args) {
    const bool pcf_mode = !args.a.empty() || !args.b.empty();
    if (pcf_mode && !args.value.empty()) throw UsageError("VALUE", "give either a number or --a/--b, not both");
    if (!pcf_mode && args.value.empty()) throw UsageError("VALUE", "give a decimal, @file, or --a and --b");
    if (pcf_mode && (args.a.empty() || args.b.empty())) throw UsageError(args.a.empty() ? "--a" : "--b", "is required with " + std::string(args.a.empty() ? "--b" : "--a"));
    if (!pcf_mode && args.digits > 0) throw UsageError("--digits", "applies to --a/--b only (a decimal brings its own digits)");
    IdentifyOptions io = identify_options(args);
    auto threads = apply_threads(args.threads);

    if (pcf_mode) {
        Pcf pcf{parse_poly_arg("--a", args.a), parse_poly_arg("--b", args.b)};
        PcfIdentification id;
        try {
            id = run_pcf(pcf, io, args.digits > 0 ? args.digits : 100, static_cast<uint64_t>(args.max_depth));
        } catch (const std::invalid_argument& e) {
            throw UsageError("--basis", e.what());
        } catch (const std::runtime_error& e) {
            throw RuntimeFailure(e.what());
        }
        if (args.json) {
            Json in = pcf_input_json(pcf, id), out = Json::array();
            for (const Finding& f : id.findings) out.push_back(finding_json(f, in, &id));
            std::cout << out.dump() << "\n";
        } else {
            std::cout << "a(n)        " << pcf.a.to_expr() << "\n"
                      << "b(n)        " << pcf.b.to_expr() << "\n";
            print_pcf_header(id);
            print_findings(id.findings, &id);
        }
        return;
    }

    std::string text = args.value;
    if (!text.empty() && text[0] == '@') text = read_value_file(text.substr(1));
    Target t;
    try {
        t = parse_decimal_target(text);
    } catch (const ParseError& e) {
        throw UsageError("VALUE", e.what());
    }
    if (t.digits < kMinDigits)
        throw UsageError("VALUE", "only " + std::to_string(t.digits) + " significant digits; identify needs at least " +
                                      std::to_string(kMinDigits));
    Progress progress("identify");
    io.progress = [&](const std::string& s) { progress.update(s); };
    std::vector<Finding> findings;
    try {
        findings = find_relations(t, io);
    } catch (const std::invalid_argument& e) {
        throw UsageError("--basis", e.what());
    }
    accept_decimal(findings);
    progress.done();
    if (args.json) {
        Json in = target_json(t), out = Json::array();
        in["kind"] = "decimal";
        for (const Finding& f : findings) out.push_back(finding_json(f, in, nullptr));
        std::cout << out.dump() << "\n";
    } else {
        std::cout << "value       " << value_text(t) << "\n"
                  << "            " << t.digits << " digits, decimal input\n";
        print_findings(findings, nullptr);
    }
}

}  // namespace

void identify_after_eval(const Poly& a, const Poly& b, bool json, Json* out) {
    const Pcf pcf{a, b};
    IdentifyOptions io;
    PcfIdentification id = run_pcf(pcf, io, 100, 10'000'000);
    if (json && out) {
        Json in = pcf_input_json(pcf, id), arr = Json::array();
        for (const Finding& f : id.findings) arr.push_back(finding_json(f, in, &id));
        (*out)["identify"] = arr;
        return;
    }
    std::cout << "\nidentify (docs/IDENTIFY.md)\n";
    print_pcf_header(id);
    print_findings(id.findings, &id);
}

void setup_identify(CLI::App& app) {
    auto args = std::make_shared<IdentifyArgs>();
    CLI::App* sub = app.add_subcommand("identify", "Name a number or a PCF's limit by an integer relation (LLL + PSLQ)");
    sub->add_option("VALUE", args->value, "A decimal (\"1.2732395447351626861...\") or @FILE holding one");
    sub->add_option("--a", args->a, "a(n) of a PCF to evaluate and identify, e.g. \"34n^3+51n^2+27n+5\"");
    sub->add_option("--b", args->b, "b(n) of the PCF, e.g. \"-n^6\"");
    auto* basis = sub->add_option("--basis", args->basis,
                                  "Only ratios over 1 and these constants or monomials, comma-separated: "
                                  "\"pi,zeta3\", \"pi,pi^2\", \"pi*log2\"");
    auto* fam = sub->add_flag("--auto", args->auto_families,
                              "Try the families in order of simplicity (the default): rational, algebraic of "
                              "degree <= 4, Moebius transforms of each constant, degree-2 polynomials in one "
                              "constant, quadratics over Z[K], products of two constants");
    basis->excludes(fam);
    sub->add_option("--max-coef", args->max_coef, "Report no relation with a coefficient above this (default: none)");
    sub->add_option("--digits", args->digits, "PCF: digits of the first evaluation, the one searched (default 100)")
        ->check(CLI::Range(20L, 100'000L));
    sub->add_option("--max-depth", args->max_depth, "PCF: deepest evaluation")
        ->check(CLI::Range(int64_t{16}, int64_t{1'000'000'000}))
        ->default_val(10'000'000);
    sub->add_option("--method", args->method, "lll (default; PSLQ cross-checks) or pslq (LLL cross-checks)")
        ->check(CLI::IsMember({"lll", "pslq"}))
        ->default_val("lll");
    sub->add_flag("--no-cross-check", args->no_cross_check, "Skip the second method (relations are then accepted on digits alone)");
    sub->add_flag("--json", args->json, "Print a JSON array with one object per relation found (empty: none)");
    add_threads_option(sub, args->threads);
    sub->footer(
        "Acceptance: a relation is IDENTIFIED only when it reproduces every digit available, those digits are\n"
        "at least 2 x (decimal digits of all its coefficients) + 10, the second method agrees, and, for a PCF,\n"
        "it still holds when the PCF is evaluated twice as deep at higher precision. A decimal has no deeper\n"
        "evaluation: the digits rule alone decides. Everything else is a CANDIDATE. See docs/IDENTIFY.md.\n"
        "Examples:\n"
        "  convergent identify 1.2732395447351626861510701069801148962756771659236515899813387524711743810\n"
        "  convergent identify @digits.txt --basis pi,pi^2 --json\n"
        "  convergent identify --a \"34n^3+51n^2+27n+5\" --b \"-n^6\"          # 6/zeta3\n"
        "  convergent identify --a 2 --b \"(2n-1)^2\"                         # 4/pi + 1, extrapolated\n"
        "  convergent identify --a \"5(2n+1)\" --b \"1-9n^2\"                   # algebraic of degree 3\n"
        "  convergent eval --a \"2n+1\" --b 1 --identify                   # eval, then identify");
    sub->callback([args] { run_identify(*args); });
}

}  // namespace cvg::cli

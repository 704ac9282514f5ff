// Security basics (issue #11), end to end through the real binary: user strings that look like
// SQL reach the database as values (bound parameters) and come back unchanged with every table
// intact; the HTML report escapes them; files are created with the user's umask.
#include "tests/support/run.hpp"
#include "tests/support/tempdir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <sys/stat.h>

#include <set>

using cvg::test::run_convergent;
using cvg::test::run_process;
using cvg::test::TempDir;
using Json = nlohmann::json;

namespace {

const std::string kPi100 =
    "3.141592653589793238462643383279502884197169399375105820974944592307816406286208998628034825342117067";
const std::string kEvil = "pi'; DROP TABLE conjectures; --\" <script>alert(1)</script> & x";

std::set<std::string> tables(const std::string& db) {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(h, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &s, nullptr) == SQLITE_OK);
    std::set<std::string> out;
    while (sqlite3_step(s) == SQLITE_ROW) out.insert(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
    sqlite3_finalize(s);
    sqlite3_close(h);
    return out;
}

int mode_of(const std::string& path) {
    struct stat sb;
    REQUIRE(::stat(path.c_str(), &sb) == 0);
    return static_cast<int>(sb.st_mode & 0777);
}

}  // namespace

TEST_CASE("security: a constant name with quotes and SQL is stored, read back and reported as plain text", "[security]") {
    TempDir tmp;
    std::string db = tmp.path("evil.db");
    auto s = run_convergent({"search", "--constant-value", kPi100, "--name", kEvil, "--a-deg", "1", "--a-coef", "-3:3",
                             "--b-deg", "2", "--b-coef", "-2:2", "--db", db, "--json"},
                            120);
    INFO(s.err);
    REQUIRE(s.exit_code == 0);
    REQUIRE(Json::parse(s.out)["conjectures"].get<int>() >= 1);
    const auto before = tables(db);
    CHECK(before.count("conjectures") == 1);

    // stored and read back as a plain value
    auto q = run_convergent({"query", "--db", db, "--all", "--format", "json"});
    INFO(q.err);
    REQUIRE(q.exit_code == 0);
    Json rows = Json::parse(q.out);
    REQUIRE(rows.size() >= 1);
    for (const auto& r : rows) CHECK(r["constant"] == kEvil);
    // SQL in the filter and sort options is refused as bad input (a constant name, a known column)
    for (std::vector<std::string> bad : {std::vector<std::string>{"--constant", "pi' OR '1'='1"},
                                         std::vector<std::string>{"--sort", "id; DROP TABLE pcfs"}}) {
        std::vector<std::string> args = {"query", "--db", db, "--all"};
        args.insert(args.end(), bad.begin(), bad.end());
        auto r = run_convergent(args);
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
    }
    CHECK(tables(db) == before);
    CHECK(Json::parse(run_convergent({"query", "--db", db, "--all", "--format", "json"}).out).size() == rows.size());

    // the report shows it escaped
    std::string html = tmp.path("r.html");
    auto rep = run_convergent({"report", "--db", db, "--out", html, "--title", "<b>" + kEvil});
    INFO(rep.err);
    REQUIRE(rep.exit_code == 0);
    std::string page = cvg::test::read_file(html);
    CHECK(page.find("<script>") == std::string::npos);
    CHECK(page.find("<b>pi") == std::string::npos);
    CHECK(page.find("pi&#39;; DROP TABLE conjectures; --&quot; &lt;script&gt;alert(1)&lt;/script&gt; &amp; x") !=
          std::string::npos);
}

TEST_CASE("security: databases and reports are created with the user's umask", "[security]") {
    TempDir tmp;
    const std::string bin = cvg::test::convergent_binary();
    for (auto [umask, want] : {std::pair<const char*, int>{"077", 0600}, {"022", 0644}}) {
        std::string db = tmp.path(std::string("u") + umask + ".db"), html = tmp.path(std::string("u") + umask + ".html");
        auto r = run_process({"/bin/sh", "-c",
                              std::string("umask ") + umask + " && \"$0\" eval --a 2n+1 --b n^2 --depth 50 --db \"$1\" && "
                                                              "\"$0\" report --db \"$1\" --out \"$2\"",
                              bin, db, html});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(mode_of(db) == want);
        CHECK(mode_of(html) == want);
    }
}

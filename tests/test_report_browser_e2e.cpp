// The demo's HTML report in a real browser: headless Chromium (Debian package chromium) lays the page out
// at a desktop (1366 px) and a phone (390 px, mobile emulation) width, driven over the DevTools protocol on
// a pipe (--remote-debugging-pipe: no port, no network). The checks are measured by the browser's layout,
// not by the report's text: the document is no wider than the viewport (no horizontal scrolling), no element
// outside a scrolling figure reaches past the right edge, every alert the demo printed (--json) shows as an
// alert card naming its cell, and the raw records are not rendered (collapsed <details>).
// Skips with a message where Chromium is absent, except in CI (env CI set), where that is a failure.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "src/output/html_report.hpp"
#include "support/test_support.hpp"

using nlohmann::json;

namespace {

std::string find_chromium() {
  if (const char* env = std::getenv("TW_CHROMIUM"); env && *env) return env;
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    const char* path = std::getenv("PATH");
    std::string p = path ? path : "/usr/bin:/bin";
    std::size_t i = 0;
    while (i <= p.size()) {
      const std::size_t j = std::min(p.find(':', i), p.size());
      const std::string cand = p.substr(i, j - i) + "/" + name;
      if (::access(cand.c_str(), X_OK) == 0) return cand;
      i = j + 1;
    }
  }
  return "";
}

// A Chromium child speaking the DevTools protocol over its pipe (fd 3: commands in, fd 4: replies out;
// messages are JSON texts ended by a NUL byte).
class Chromium {
 public:
  Chromium(const std::string& binary, const std::filesystem::path& profile) {
    int to_child[2], from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      // Moved above 4 first: a pipe end may already sit on fd 3 or 4 (dup2 onto itself would keep
      // close-on-exec, and the second dup2 could overwrite the first).
      const int r = ::fcntl(to_child[0], F_DUPFD, 10), w = ::fcntl(from_child[1], F_DUPFD, 10);
      ::dup2(r, 3);
      ::dup2(w, 4);
      const int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
      std::vector<std::string> args = {binary, "--headless=new", "--remote-debugging-pipe", "--disable-gpu",
                                       "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                                       "--disable-background-networking", "--disable-sync", "--mute-audio", "--disable-dev-shm-usage",
                                       "--hide-scrollbars", "--user-data-dir=" + profile.string(), "about:blank"};
      if (::geteuid() == 0) args.insert(args.begin() + 1, "--no-sandbox");  // root (CI containers)
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    out_ = to_child[1];
    in_ = from_child[0];
  }
  ~Chromium() {
    ::close(out_);
    ::close(in_);
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      for (int i = 0; i < 50 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i) ::usleep(100000);
      if (::waitpid(pid_, &status, WNOHANG) == 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
      }
    }
  }

  // Sends a command and returns its "result" (throws on an error reply or after 60 s).
  json call(const std::string& method, json params = json::object(), const std::string& session = "") {
    json msg{{"id", ++id_}, {"method", method}, {"params", std::move(params)}};
    if (!session.empty()) msg["sessionId"] = session;
    const std::string text = msg.dump() + '\0';
    std::size_t off = 0;
    while (off < text.size()) {
      const ssize_t w = ::write(out_, text.data() + off, text.size() - off);
      if (w <= 0) throw std::runtime_error("DevTools pipe: write failed");
      off += static_cast<std::size_t>(w);
    }
    for (;;) {
      json m = next();
      if (m.contains("id") && m["id"] == id_) {
        if (m.contains("error")) throw std::runtime_error(method + ": " + m["error"].dump());
        return m.value("result", json::object());
      }
    }
  }

  // Waits for an event (method name) of a session.
  void wait_event(const std::string& method, const std::string& session) {
    for (;;) {
      json m = next();
      if (m.value("method", "") == method && m.value("sessionId", "") == session) return;
    }
  }

 private:
  json next() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
      if (auto z = buf_.find('\0'); z != std::string::npos) {
        json m = json::parse(buf_.substr(0, z));
        buf_.erase(0, z + 1);
        return m;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) throw std::runtime_error("DevTools pipe: no reply in 60 s");
      pollfd p{in_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char b[65536];
      const ssize_t r = ::read(in_, b, sizeof b);
      if (r <= 0) throw std::runtime_error("DevTools pipe: Chromium closed it (crashed or failed to start)");
      buf_.append(b, static_cast<std::size_t>(r));
    }
  }

  pid_t pid_ = -1;
  int out_ = -1, in_ = -1;
  long id_ = 0;
  std::string buf_;
};

// What the page measures after layout, as JSON text (the test's probe, evaluated by the browser; the report
// itself holds no script).
const char* kProbe = R"js(JSON.stringify((() => {
  const de = document.documentElement, cw = de.clientWidth;
  const over = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('.fig')) continue;  // figures scroll inside their own box
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > cw + 0.5) over.push(e.tagName + '.' + e.className + ' right=' + r.right);
  }
  const figs = [];
  for (const f of document.querySelectorAll('.fig')) {
    const r = f.getBoundingClientRect();
    if (r.right > cw + 0.5) figs.push('fig right=' + r.right);
  }
  return {scrollWidth: de.scrollWidth, clientWidth: cw, bodyScrollWidth: document.body.scrollWidth,
          overflowing: over.slice(0, 10), figures: figs,
          alertHeadings: Array.from(document.querySelectorAll('.alert h3')).map(h => h.innerText),
          verdict: document.querySelector('.verdict') ? document.querySelector('.verdict').innerText : '',
          injected: Array.from(document.querySelectorAll('b')).filter(b => b.textContent.startsWith('WWW')).length,
          text: document.body.innerText};
})()))js";

json layout_at(Chromium& chrome, const std::filesystem::path& page, int width, bool mobile) {
  const std::string target = chrome.call("Target.createTarget", {{"url", "about:blank"}})["targetId"];
  const std::string session = chrome.call("Target.attachToTarget", {{"targetId", target}, {"flatten", true}})["sessionId"];
  chrome.call("Emulation.setDeviceMetricsOverride",
              {{"width", width}, {"height", 900}, {"deviceScaleFactor", 1}, {"mobile", mobile}}, session);
  chrome.call("Page.enable", json::object(), session);
  chrome.call("Page.navigate", {{"url", "file://" + std::filesystem::absolute(page).string()}}, session);
  chrome.wait_event("Page.loadEventFired", session);
  const json r = chrome.call("Runtime.evaluate", {{"expression", kProbe}, {"returnByValue", true}}, session);
  chrome.call("Target.closeTarget", {{"targetId", target}});
  return json::parse(r["result"]["value"].get<std::string>());
}

#define TW_REQUIRE_CHROMIUM(var)                                                                              \
  const std::string var = find_chromium();                                                                    \
  if (var.empty()) {                                                                                          \
    if (tw::test::running_in_ci()) FAIL() << "Chromium is missing: CI installs it (tools/bootstrap.sh test)"; \
    GTEST_SKIP() << "Chromium not installed (Debian package chromium, or set TW_CHROMIUM): skipping";        \
  }

TEST(ReportBrowserE2e, DemoReportFitsDesktopAndPhoneAndShowsEveryAlert) {
  TW_REQUIRE_CHROMIUM(chromium);
  tw::test::TempDir dir;
  const auto page = dir / "report.html";
  auto run = tw::test::run_towerwatch({"demo", "--json", "--report", page.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto alerts = tw::test::lines_of_type(tw::test::json_lines(run.out), "alert");
  ASSERT_FALSE(alerts.empty()) << "the demo's scene has a rogue";

  Chromium chrome(chromium, dir / "profile");
  for (const auto& [width, mobile] : {std::pair{1366, false}, std::pair{390, true}}) {
    SCOPED_TRACE("width " + std::to_string(width));
    const json m = layout_at(chrome, page, width, mobile);
    EXPECT_EQ(m["clientWidth"].get<int>(), width);
    EXPECT_LE(m["scrollWidth"].get<int>(), m["clientWidth"].get<int>()) << "horizontal overflow: " << m["overflowing"].dump();
    EXPECT_LE(m["bodyScrollWidth"].get<int>(), m["clientWidth"].get<int>());
    EXPECT_TRUE(m["overflowing"].empty()) << m["overflowing"].dump();
    EXPECT_TRUE(m["figures"].empty()) << m["figures"].dump();
    // Every alert the demo printed is an alert card naming its cell, and the verdict counts them.
    ASSERT_EQ(m["alertHeadings"].size(), alerts.size()) << m["alertHeadings"].dump();
    for (std::size_t k = 0; k < alerts.size(); ++k) {
      const std::string heading = m["alertHeadings"][k];
      const std::string cell = "GSM ARFCN " + alerts[k]["cell"]["arfcn"].dump();
      EXPECT_NE(heading.find(cell), std::string::npos) << heading;
      EXPECT_NE(heading.find("LAC " + alerts[k]["cell"]["lac"].dump()), std::string::npos) << heading;
      const std::string text = m["text"];
      for (const auto& r : alerts[k]["reasons"])
        EXPECT_NE(text.find(r["detail"].get<std::string>()), std::string::npos) << r["rule"];
    }
    const std::string verdict = m["verdict"];
    EXPECT_NE(verdict.find(std::to_string(alerts.size()) + (alerts.size() == 1 ? " alert" : " alerts")), std::string::npos) << verdict;
    // The raw records stay collapsed: their JSON keys are not rendered text.
    EXPECT_EQ(m["text"].get<std::string>().find("\"type\": \"cell\""), std::string::npos);
  }
}

// 60 cells (40 GSM, 20 LTE) of three operators, with long unbroken strings from the air in every free-text
// place (operator name, band, alert detail, evidence, run source): the page still fits a phone.
TEST(ReportBrowserE2e, SixtyCellsAndLongHostileStringsFitAPhone) {
  TW_REQUIRE_CHROMIUM(chromium);
  const std::string long_word = "<b>" + std::string(300, 'W') + "&\"'";
  tw::output::ReportData d;
  d.run.command = "scan";
  d.run.source = long_word;
  d.run.bands = {long_word};
  for (int i = 0; i < 40; ++i) {
    std::vector<int> ba;
    for (int k = 1; k <= 6; ++k) ba.push_back(1 + (i + k) % 40 * 3);
    d.cells.push_back({{"type", "cell"}, {"rat", "GSM"}, {"arfcn", 1 + i * 3}, {"band", i < 30 ? "P-GSM900" : long_word},
                       {"mcc", 262}, {"mnc", i < 20 ? "01" : "02"}, {"lac", 1000 + i / 10}, {"ci", 20000 + i}, {"bsic", i % 64},
                       {"neighbors", ba}, {"operator", i == 0 ? long_word : "Operator"}, {"t3212", 10}});
  }
  for (int i = 0; i < 20; ++i)
    d.cells.push_back({{"type", "cell"}, {"rat", "LTE"}, {"earfcn", i < 10 ? 6300 : 1300}, {"band", "B20"}, {"pci", i},
                       {"mcc", 262}, {"mnc", "03"}, {"tac", 7}, {"cell_identity", 1000 + i},
                       {"sib5", {{"carriers", {{{"earfcn", i < 10 ? 1300 : 6300}}}}}}});
  d.alerts.push_back({{"type", "alert"}, {"score", 5.0},
                      {"cell", {{"rat", "GSM"}, {"arfcn", 4}, {"mcc", 262}, {"mnc", "01"}, {"lac", 1000}, {"ci", 20001}, {"bsic", 1}}},
                      {"reasons", {{{"rule", "K1"}, {"title", long_word}, {"weight", 1.0}, {"detail", long_word},
                                    {"evidence", {{long_word, long_word}}}}}}});
  for (int a = 1; a <= 124; ++a) {
    tw::sweep::ChannelPower p;
    p.arfcn = a;
    p.band = "P-GSM900";
    p.freq_hz = 935e6 + 200e3 * a;
    p.power_dbfs = a % 3 == 1 && a < 120 ? -40.0 - a % 7 : -95.0;
    p.noise_floor_dbfs = -96.0;
    d.census.push_back(p);
  }
  for (int i = 0; i < 30; ++i) d.timeline.push_back({i + 1, 1'700'000'000'000 + 60'000 * i, 60, i > 20 ? 1u : 0u, i < 5});
  for (int i = 0; i < 10; ++i) d.track.push_back({52.5 + 0.001 * i, 13.4 + 0.002 * i, 0, "", false});
  d.cell_positions.push_back({52.505, 13.41, 0, long_word, true});
  tw::test::TempDir dir;
  const auto page = dir / "many.html";
  tw::output::write_html_report(page, d);
  // TW_REPORT_SAMPLE_OUT=FILE keeps a copy to look at (tools/report_screenshots.sh FILE).
  if (const char* keep = std::getenv("TW_REPORT_SAMPLE_OUT"); keep && *keep)
    std::filesystem::copy_file(page, keep, std::filesystem::copy_options::overwrite_existing);
  Chromium chrome(chromium, dir / "profile");
  for (const auto& [width, mobile] : {std::pair{1366, false}, std::pair{390, true}}) {
    SCOPED_TRACE("width " + std::to_string(width));
    const json m = layout_at(chrome, page, width, mobile);
    EXPECT_LE(m["scrollWidth"].get<int>(), m["clientWidth"].get<int>()) << "horizontal overflow: " << m["overflowing"].dump();
    EXPECT_TRUE(m["overflowing"].empty()) << m["overflowing"].dump();
    EXPECT_TRUE(m["figures"].empty()) << m["figures"].dump();
    ASSERT_EQ(m["alertHeadings"].size(), 1u);
    // The hostile markup is text on the page, never an element.
    EXPECT_NE(m["text"].get<std::string>().find("<b>WWW"), std::string::npos);
    EXPECT_EQ(m["injected"].get<int>(), 0);
  }
}

}  // namespace

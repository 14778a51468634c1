#include "src/cells/mini_xml.hpp"

#include <cstdint>

#include "src/core/error.hpp"

namespace tw::xml {

const std::string* Event::attribute(std::string_view n) const {
  for (const auto& a : attributes)
    if (a.name == n) return &a.value;
  return nullptr;
}

namespace {

// XML 1.0 2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
bool xml_char(std::uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

void append_utf8(std::string& s, std::uint32_t c) {
  if (c < 0x80) {
    s.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (c >> 6)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    s.push_back(static_cast<char>(0xE0 | (c >> 12)));
    s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xF0 | (c >> 18)));
    s.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

class Reader {
 public:
  Reader(std::string_view doc, const std::string& where, const std::function<void(const Event&)>& on_event,
         const Limits& limits)
      : d_(doc), where_(where), emit_(on_event), lim_(limits) {}

  void run() {
    if (d_.size() > lim_.max_bytes)
      fail("document of " + std::to_string(d_.size()) + " bytes is larger than the limit of " +
           std::to_string(lim_.max_bytes));
    check_characters();
    if (d_.substr(0, 3) == "\xEF\xBB\xBF") p_ = 3;   // UTF-8 byte order mark
    bool root_seen = false;
    while (p_ < d_.size()) {
      if (d_[p_] != '<') {
        if (depth_ == 0) {
          if (!space(d_[p_])) fail("text outside the root element");
          advance(1);
          continue;
        }
        read_text();
        continue;
      }
      if (starts("<?")) {
        skip_past("?>", "processing instruction");
      } else if (starts("<!--")) {
        skip_past("-->", "comment");
      } else if (starts("<![CDATA[")) {
        if (depth_ == 0) fail("CDATA section outside the root element");
        const int line = line_;
        advance(9);
        const std::size_t e = d_.find("]]>", p_);
        if (e == std::string_view::npos) fail_at(line, "unterminated CDATA section (truncated file?)");
        Event ev;
        ev.kind = Event::Kind::text;
        ev.line = line;
        ev.text = std::string(d_.substr(p_, e - p_));
        if (ev.text.size() > lim_.max_text) fail_at(line, "CDATA section longer than the limit");
        advance(e + 3 - p_);
        emit_(ev);
      } else if (starts("<!DOCTYPE")) {
        if (root_seen || depth_ > 0 || doctype_seen_) fail("DOCTYPE not before the root element");
        doctype_seen_ = true;
        read_doctype();
      } else if (starts("<!")) {
        fail("markup declaration outside a DOCTYPE");
      } else if (starts("</")) {
        read_end_tag();
      } else {
        if (depth_ == 0 && root_seen) fail("a second root element");
        root_seen = true;
        read_start_tag();
      }
    }
    if (!stack_.empty())
      fail("element <" + stack_.back().first + "> opened at line " + std::to_string(stack_.back().second) +
           " is not closed (truncated file?)");
    if (!root_seen) fail("no root element (empty or truncated file?)");
  }

 private:
  [[noreturn]] void fail_at(int line, const std::string& what) const {
    throw InputError(where_ + ": line " + std::to_string(line) + ": " + what);
  }
  [[noreturn]] void fail(const std::string& what) const { fail_at(line_, what); }

  static bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  static bool name_start(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? true : c == '_' || c == ':' || c >= 0x80; }
  static bool name_char(unsigned char c) {
    return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
  }
  bool starts(std::string_view s) const { return d_.substr(p_, s.size()) == s; }
  void advance(std::size_t n) {
    for (std::size_t i = 0; i < n && p_ < d_.size(); ++i, ++p_)
      if (d_[p_] == '\n') ++line_;
  }
  void skip_space() {
    while (p_ < d_.size() && space(d_[p_])) advance(1);
  }
  void need(char c, const char* what) {
    if (p_ >= d_.size()) fail(std::string("end of file inside ") + what + " (truncated file?)");
    if (d_[p_] != c) fail(std::string("expected '") + c + "' in " + what);
    advance(1);
  }
  void skip_past(std::string_view end, const char* what) {
    const int line = line_;
    const std::size_t e = d_.find(end, p_ + 2);
    if (e == std::string_view::npos) fail_at(line, std::string("unterminated ") + what + " (truncated file?)");
    advance(e + end.size() - p_);
  }

  // The whole document: valid UTF-8 (shortest forms, no surrogates) of XML Chars only, so names and text
  // taken from it are safe in JSON and on a terminal (no control characters).
  void check_characters() {
    int line = 1;
    for (std::size_t i = 0; i < d_.size();) {
      const auto b = static_cast<unsigned char>(d_[i]);
      std::uint32_t c;
      std::size_t n;
      if (b < 0x80) { c = b; n = 1; }
      else if (b >= 0xC2 && b <= 0xDF) { c = b & 0x1F; n = 2; }
      else if (b >= 0xE0 && b <= 0xEF) { c = b & 0x0F; n = 3; }
      else if (b >= 0xF0 && b <= 0xF4) { c = b & 0x07; n = 4; }
      else fail_at(line, "invalid UTF-8 byte 0x" + hex(b));
      if (i + n > d_.size()) fail_at(line, "truncated UTF-8 sequence at the end of the file");
      for (std::size_t k = 1; k < n; ++k) {
        const auto t = static_cast<unsigned char>(d_[i + k]);
        if ((t & 0xC0) != 0x80) fail_at(line, "invalid UTF-8 sequence");
        c = (c << 6) | (t & 0x3F);
      }
      if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)))
        fail_at(line, "overlong UTF-8 sequence");
      if (!xml_char(c)) fail_at(line, "character U+" + hex(c) + " is not allowed in XML");
      if (c == '\n') ++line;
      i += n;
    }
  }
  static std::string hex(std::uint32_t v) {
    static const char* k = "0123456789ABCDEF";
    std::string s;
    do {
      s.insert(s.begin(), k[v & 0xF]);
      v >>= 4;
    } while (v);
    if (s.size() < 2) s.insert(s.begin(), '0');
    return s;
  }

  std::string read_name(const char* what) {
    const std::size_t b = p_;
    if (p_ >= d_.size() || !name_start(static_cast<unsigned char>(d_[p_]))) fail(std::string("expected a name in ") + what);
    while (p_ < d_.size() && name_char(static_cast<unsigned char>(d_[p_]))) ++p_;
    if (p_ - b > lim_.max_name) fail(std::string("name longer than ") + std::to_string(lim_.max_name) + " in " + what);
    return std::string(d_.substr(b, p_ - b));
  }

  // One reference after '&' (4.1, 4.6): the predefined entities and character references; nothing else.
  void read_reference(std::string& out) {
    const std::size_t semi = d_.find(';', p_);
    if (semi == std::string_view::npos || semi - p_ > 12) fail("'&' not starting a reference (write &amp;)");
    const std::string_view ref = d_.substr(p_ + 1, semi - p_ - 1);
    if (ref == "amp") out.push_back('&');
    else if (ref == "lt") out.push_back('<');
    else if (ref == "gt") out.push_back('>');
    else if (ref == "quot") out.push_back('"');
    else if (ref == "apos") out.push_back('\'');
    else if (ref.size() >= 2 && ref[0] == '#') {
      const bool hexa = ref[1] == 'x';
      const std::string_view digits = ref.substr(hexa ? 2 : 1);
      if (digits.empty() || digits.size() > 7) fail("bad character reference &" + std::string(ref) + ";");
      std::uint32_t c = 0;
      for (char ch : digits) {
        int v;
        if (ch >= '0' && ch <= '9') v = ch - '0';
        else if (hexa && (ch | 0x20) >= 'a' && (ch | 0x20) <= 'f') v = (ch | 0x20) - 'a' + 10;
        else fail("bad character reference &" + std::string(ref) + ";");
        c = c * (hexa ? 16 : 10) + static_cast<std::uint32_t>(v);
      }
      if (!xml_char(c)) fail("character reference &" + std::string(ref) + "; is not an XML character");
      append_utf8(out, c);
    } else {
      fail("undefined entity &" + std::string(ref) + "; (only the five predefined entities are supported)");
    }
    advance(semi + 1 - p_);
  }

  void read_text() {
    Event ev;
    ev.kind = Event::Kind::text;
    ev.line = line_;
    while (p_ < d_.size() && d_[p_] != '<') {
      if (d_[p_] == '&') {
        read_reference(ev.text);
      } else {
        ev.text.push_back(d_[p_]);
        advance(1);
      }
      if (ev.text.size() > lim_.max_text) fail_at(ev.line, "text longer than the limit");
    }
    emit_(ev);
  }

  void read_start_tag() {
    Event ev;
    ev.kind = Event::Kind::start;
    ev.line = line_;
    advance(1);
    ev.name = read_name("a start tag");
    if (++elements_ > lim_.max_elements) fail("more than " + std::to_string(lim_.max_elements) + " elements");
    for (;;) {
      const std::size_t before = p_;
      skip_space();
      if (p_ >= d_.size()) fail_at(ev.line, "end of file inside the tag <" + ev.name + "> (truncated file?)");
      if (d_[p_] == '>' || starts("/>")) break;
      if (p_ == before) fail("expected a space before an attribute of <" + ev.name + ">");
      Attribute a;
      a.name = read_name("an attribute");
      for (const auto& o : ev.attributes)
        if (o.name == a.name) fail("attribute '" + a.name + "' repeated in <" + ev.name + ">");
      skip_space();
      need('=', "an attribute");
      skip_space();
      if (p_ >= d_.size()) fail_at(ev.line, "end of file inside the tag <" + ev.name + "> (truncated file?)");
      const char q = d_[p_];
      if (q != '"' && q != '\'') fail("attribute '" + a.name + "' value not quoted");
      advance(1);
      while (p_ < d_.size() && d_[p_] != q) {
        if (d_[p_] == '<') fail("'<' in the value of attribute '" + a.name + "'");
        if (d_[p_] == '&') {
          read_reference(a.value);
        } else {
          // 3.3.3 attribute-value normalization: white space characters become spaces.
          a.value.push_back(space(d_[p_]) ? ' ' : d_[p_]);
          advance(1);
        }
        if (a.value.size() > lim_.max_text) fail("attribute value longer than the limit");
      }
      need(q, "an attribute value");
      ev.attributes.push_back(std::move(a));
      if (ev.attributes.size() > lim_.max_attributes) fail("too many attributes in <" + ev.name + ">");
    }
    const bool empty = d_[p_] == '/';
    advance(empty ? 2 : 1);
    if (depth_ + 1 > lim_.max_depth) fail("elements nested deeper than " + std::to_string(lim_.max_depth));
    emit_(ev);
    if (empty) {
      Event end;
      end.kind = Event::Kind::end;
      end.name = ev.name;
      end.line = ev.line;
      emit_(end);
    } else {
      stack_.emplace_back(ev.name, ev.line);
      ++depth_;
    }
  }

  void read_end_tag() {
    Event ev;
    ev.kind = Event::Kind::end;
    ev.line = line_;
    advance(2);
    ev.name = read_name("an end tag");
    skip_space();
    need('>', "an end tag");
    if (stack_.empty()) fail("end tag </" + ev.name + "> without a start tag");
    if (stack_.back().first != ev.name)
      fail("end tag </" + ev.name + "> does not match <" + stack_.back().first + "> of line " +
           std::to_string(stack_.back().second));
    stack_.pop_back();
    --depth_;
    emit_(ev);
  }

  // <!DOCTYPE name (SYSTEM "uri" | PUBLIC "id" "uri")? > (2.8). The external DTD is not read; an internal
  // subset ('[') could declare entities and is refused.
  void read_doctype() {
    const int line = line_;
    advance(9);
    while (p_ < d_.size() && d_[p_] != '>') {
      const char c = d_[p_];
      if (c == '[') fail("DOCTYPE with an internal subset (entity declarations) is not supported");
      if (c == '"' || c == '\'') {
        const std::size_t e = d_.find(c, p_ + 1);
        if (e == std::string_view::npos) fail_at(line, "unterminated DOCTYPE (truncated file?)");
        advance(e + 1 - p_);
        continue;
      }
      if (c == '<') fail("'<' inside the DOCTYPE");
      advance(1);
    }
    if (p_ >= d_.size()) fail_at(line, "unterminated DOCTYPE (truncated file?)");
    advance(1);
  }

  std::string_view d_;
  const std::string& where_;
  const std::function<void(const Event&)>& emit_;
  const Limits& lim_;
  std::size_t p_ = 0;
  int line_ = 1;
  int depth_ = 0;
  std::size_t elements_ = 0;
  bool doctype_seen_ = false;
  std::vector<std::pair<std::string, int>> stack_;
};

}  // namespace

void parse(std::string_view document, const std::string& where, const std::function<void(const Event&)>& on_event,
           const Limits& limits) {
  Reader(document, where, on_event, limits).run();
}

}  // namespace tw::xml

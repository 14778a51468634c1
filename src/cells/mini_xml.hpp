// A small, strict XML 1.0 reader for simple data files (the operator list of mobile-broadband-provider-info):
// elements, attributes, text, comments, processing instructions, CDATA, a DOCTYPE naming an external DTD (never
// fetched), the five predefined entities and character references. Everything else is refused with an error
// naming the file and line: a DOCTYPE internal subset (entity declarations, hence no entity expansion at all:
// no "billion laughs"), undefined entities, mismatched or unclosed tags (a truncated file), text outside the
// root, invalid UTF-8 or characters outside XML's Char production (XML 1.0 2.2), and documents beyond the
// limits below. No namespace processing: a name is its qualified name ("xml:lang").
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tw::xml {

struct Attribute {
  std::string name;
  std::string value;   // references decoded
};

struct Event {
  enum class Kind { start, end, text };
  Kind kind = Kind::start;
  std::string name;                  // start, end: the element's name
  std::vector<Attribute> attributes; // start only
  std::string text;                  // text only: character data with references decoded (CDATA as is)
  int line = 0;                      // 1-based line where the event begins
  // The value of attribute `n`, or nullptr.
  const std::string* attribute(std::string_view n) const;
};

struct Limits {
  std::size_t max_bytes = 32u << 20;       // whole document
  int max_depth = 32;                      // element nesting
  std::size_t max_attributes = 32;         // per element
  std::size_t max_name = 128;              // element and attribute names
  std::size_t max_text = 1u << 20;         // one text or attribute value
  std::size_t max_elements = 4u << 20;     // start tags in the document
};

// Reads the whole document, calling `on_event` for every start tag, end tag (an empty-element tag gives
// both) and run of text inside the root element. Throws tw::InputError "<where>: line N: <what>" for any
// violation; exceptions thrown by on_event pass through.
void parse(std::string_view document, const std::string& where, const std::function<void(const Event&)>& on_event,
           const Limits& limits = {});

}  // namespace tw::xml

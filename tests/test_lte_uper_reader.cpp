// X.691 UNALIGNED PER primitives of src/lte/uper_reader against encodings worked out from X.691 by hand
// (clause at each case) and the test-side writer (support/uper_writer.hpp).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "src/core/error.hpp"
#include "src/lte/uper_reader.hpp"
#include "support/uper_writer.hpp"

using tw::lte::UperReader;
using tw::test::UperWriter;
using Bytes = std::vector<std::uint8_t>;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const tw::InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(UperReader, ConstrainedWholeNumbers) {
  // 10.5.7.1 (unaligned): range 1 takes no bits; range 49 (-70..-22) takes 6; range 2048 takes 11.
  const Bytes b{0b10110100, 0b11111111, 0b11100000};
  UperReader r(b, "T");
  EXPECT_EQ(r.constrained(5, 5, "a"), 5);
  EXPECT_EQ(r.position(), 0u);
  EXPECT_EQ(r.constrained(-70, -22, "b"), -70 + 0b101101);
  EXPECT_EQ(r.constrained(0, 2047, "c"), 0b00111111111);
  EXPECT_EQ(r.bits_left(), 24u - 17u);
  // 6 bits of 0..48: codes 49..63 are outside the constraint.
  const Bytes over{0b11111100};
  UperReader r2(over, "T");
  EXPECT_EQ(error_of([&] { r2.constrained(-70, -22, "q-RxLevMin"); }), "T.q-RxLevMin: value -7 outside -70..-22");
}

TEST(UperReader, LengthsAndOpenTypes) {
  // 10.9.3.6: 0xxxxxxx = 0..127; 10.9.3.7: 10xxxxxx xxxxxxxx = 128..16383; 10.9.3.8: 11xxxxxx = fragment.
  UperWriter w;
  w.length(3).put(0xabcdef, 24).length(200);
  for (int i = 0; i < 200; ++i) w.put(static_cast<unsigned>(i), 8);
  w.put(1, 1);
  const Bytes b = w.bytes();
  UperReader r(b, w.size(), "M");
  UperReader inner = r.open_type("x");
  EXPECT_EQ(inner.bits(24, "y"), 0xabcdefu);
  EXPECT_EQ(error_of([&] { inner.bits(1, "z"); }), "M.x.z: 0 bits left, needs 1");  // the error path continues
  const auto o = r.octet_string_unconstrained("s");
  ASSERT_EQ(o.size(), 200u);
  EXPECT_EQ(o[199], 199);
  EXPECT_TRUE(r.boolean("t"));
  EXPECT_EQ(r.bits_left(), 0u);
  const Bytes frag{0xc1, 0x00};
  UperReader rf(frag, "M");
  EXPECT_NE(error_of([&] { rf.unconstrained_length("L"); }).find("M.L: fragmented length (1 x 16K"), std::string::npos);
  // A length that points past the end.
  const Bytes past{0x05, 0x00, 0x00};
  UperReader rp(past, "M");
  EXPECT_EQ(error_of([&] { rp.skip_open_type("ot"); }), "M.ot: 16 bits left, needs 40");
}

TEST(UperReader, NormallySmallNumbersAndExtensions) {
  // 10.6.1: 0 + 6 bits; 10.6.2 (>= 64) is rejected. ENUMERATED with extension (13.3): 1 + normally small.
  UperWriter w;
  w.put(1, 1).put(0, 1).put(5, 6);   // extension value 5 of an extensible enumeration with 16 root values
  w.put(0, 1).put(15, 4);             // root value 15
  w.put(1, 1).put(1, 1).put(0, 6);   // extension bit, then the >= 64 form
  const Bytes b = w.bytes();
  UperReader r(b, "E");
  EXPECT_EQ(r.enumerated_ext(16, "e"), 21u);
  EXPECT_EQ(r.enumerated_ext(16, "e"), 15u);
  EXPECT_NE(error_of([&] { r.enumerated_ext(16, "e"); }).find("E.e: normally small number of 64 or more"),
            std::string::npos);
}

TEST(UperReader, SequencePreambleAndExtensionAdditions) {
  // 18.1-18.3: extension bit, optional bitmap; 18.7-18.9: bitmap length n-1 (normally small length),
  // bitmap, one open type per present addition.
  UperWriter w;
  w.put(1, 1).put(0b101, 3);
  w.extension_additions({{0x11, 0x22}, {}, {}, {0x33}});
  w.put(0x5, 3);
  const Bytes b = w.bytes();
  UperReader r(b, w.size(), "S");
  const auto p = r.preamble(true, 3, "");
  EXPECT_TRUE(p.extended);
  EXPECT_TRUE(p.present(0));
  EXPECT_FALSE(p.present(1));
  EXPECT_TRUE(p.present(2));
  EXPECT_EQ(r.skip_extension_additions("ext"), 2u);
  EXPECT_EQ(r.bits(3, "tail"), 5u);
  EXPECT_EQ(r.bits_left(), 0u);
  // More than 64 additions (the long form of the bitmap length) cannot occur in TS 36.331.
  const Bytes many{0x80, 0x00};
  UperReader rm(many, "S");
  EXPECT_NE(error_of([&] { rm.skip_extension_additions("ext"); }).find("S.ext.extensionAdditionsBitmap: more than 64"),
            std::string::npos);
}

TEST(UperReader, ChoiceIndices) {
  // 23.6: index in the minimum bits of the number of root alternatives; 23.8: extension bit, then an
  // extension alternative's index as a normally small number.
  UperWriter w;
  w.put(3, 2);                        // index 3 of 3 alternatives
  w.put(1, 1).put(0, 1).put(2, 6);   // extensible CHOICE of 10: extension alternative 2
  w.put(0, 1).put(9, 4);              // root alternative 9
  w.put(0, 1).put(12, 4);             // root index 12 of 10
  const Bytes b = w.bytes();
  UperReader r(b, w.size(), "C");
  EXPECT_EQ(error_of([&] { r.choice(3, "c"); }), "C.c: CHOICE index 3 outside 0..2");
  bool ext = false;
  EXPECT_EQ(r.choice_ext(10, &ext, "d"), 12u);
  EXPECT_TRUE(ext);
  EXPECT_EQ(r.choice_ext(10, &ext, "d"), 9u);
  EXPECT_FALSE(ext);
  EXPECT_EQ(error_of([&] { r.choice_ext(10, &ext, "d"); }), "C.d: CHOICE index 12 outside 0..9");
  EXPECT_EQ(r.choice(1, "single"), 0u);  // 23.4: one alternative, no bits
  EXPECT_EQ(r.bits_left(), 0u);
}

}  // namespace

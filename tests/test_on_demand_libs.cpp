// The optional libraries are loaded on first use (src/core/on_demand_library.hpp), not at every start: the
// built binary's dependencies as the dynamic linker resolves them (LD_TRACE_LOADED_OBJECTS, what ldd
// prints) hold none of libpq, libmosquitto, libgps, libpcap, libosmocoding, libosmogsm or GnuTLS, while
// libosmocore (the receiver's Viterbi decoder) is there; a library that cannot be loaded is an error naming
// the feature, the library and its Debian package. The features themselves run through the loaded libraries
// in their own suites (test_pcap_cli, test_store_backends, test_fleet_mqtt, test_hw_position_source, ...).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "hw/ondemand/on_demand_libs.hpp"
#include "src/core/error.hpp"
#include "support/test_support.hpp"

namespace {
using namespace tw::test;

std::string loaded_objects(const std::string& binary) {
  const std::string cmd = "LD_TRACE_LOADED_OBJECTS=1 '" + binary + "' 2>&1";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

TEST(OnDemandLibs, TheBinaryDoesNotLoadTheOptionalLibrariesAtStart) {
  const std::string objects = loaded_objects(towerwatch_binary());
  ASSERT_NE(objects.find("libosmocore.so"), std::string::npos) << objects;
  ASSERT_NE(objects.find("libc.so"), std::string::npos) << objects;
  for (const char* lib : {"libpq.so", "libmosquitto.so", "libgps.so", "libpcap.so", "libosmocoding.so",
                          "libosmogsm.so", "libgnutls.so", "libkrb5.so", "libldap", "libdbus", "libssl.so"})
    EXPECT_EQ(objects.find(lib), std::string::npos) << lib << " is loaded at start:\n" << objects;
}

TEST(OnDemandLibs, AMissingLibraryNamesTheFeatureTheLibraryAndThePackage) {
  tw::OnDemandLibrary lib("libtowerwatch-absent.so.7", "libtowerwatch-absent7", "the test feature");
  for (int attempt = 0; attempt < 2; ++attempt) {   // the same error every time it is used
    try {
      lib.symbol("anything");
      FAIL() << "no error";
    } catch (const tw::RuntimeFailure& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find("the test feature"), std::string::npos) << m;
      EXPECT_NE(m.find("libtowerwatch-absent.so.7"), std::string::npos) << m;
      EXPECT_NE(m.find("libtowerwatch-absent7"), std::string::npos) << m;
    }
  }
  EXPECT_FALSE(lib.loaded());
}

TEST(OnDemandLibs, AMissingFunctionIsAnErrorNamingIt) {
  tw::OnDemandLibrary& pcap = tw::ondemand::libpcap_library();
  try {
    pcap.symbol("pcap_no_such_function_in_any_version");
    FAIL() << "no error";
  } catch (const tw::RuntimeFailure& e) {
    EXPECT_NE(std::string(e.what()).find("pcap_no_such_function_in_any_version"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(pcap.loaded());
}

}  // namespace

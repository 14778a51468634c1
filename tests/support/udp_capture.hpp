// A loopback UDP socket for tests that receive towerwatch's GSMTAP: every datagram with its receive time.
#pragma once
#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <thread>
#include <vector>

namespace tw::test {

struct Received {
  double time_s;
  std::uint16_t src_port;
  std::vector<std::uint8_t> payload;
};

// A loopback UDP socket that keeps every datagram it receives until stopped.
class UdpCapture {
 public:
  UdpCapture() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    int buf = 8 << 20;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("bind");
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~UdpCapture() {
    stop();
    ::close(fd_);
  }
  void stop() {
    if (!thread_.joinable()) return;
    stop_ = true;
    thread_.join();
  }
  std::uint16_t port() const { return port_; }
  const std::vector<Received>& datagrams() const { return got_; }

 private:
  void loop() {
    std::vector<std::uint8_t> buf(65536);
    for (;;) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) {
        if (stop_) return;
        continue;
      }
      sockaddr_in from{};
      socklen_t fl = sizeof from;
      const auto n = ::recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &fl);
      if (n < 0) continue;
      const double t = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
      got_.push_back({t, ntohs(from.sin_port), std::vector<std::uint8_t>(buf.begin(), buf.begin() + n)});
    }
  }
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<Received> got_;
};

}  // namespace tw::test

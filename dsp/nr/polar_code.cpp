#include "dsp/nr/polar_code.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "src/core/error.hpp"

namespace tw::nr {

namespace {

// TS 38.212 table 5.3.1.2-1, Q_0^{Nmax-1} in ascending reliability (W(Q_i) < W(Q_j) for i < j).
constexpr std::array<std::uint16_t, kPolarNmax> kQ = {
    0, 1, 2, 4, 8, 16, 32, 3, 5, 64, 9, 6, 17, 10, 18, 128,
    12, 33, 65, 20, 256, 34, 24, 36, 7, 129, 66, 512, 11, 40, 68, 130,
    19, 13, 48, 14, 72, 257, 21, 132, 35, 258, 26, 513, 80, 37, 25, 22,
    136, 260, 264, 38, 514, 96, 67, 41, 144, 28, 69, 42, 516, 49, 74, 272,
    160, 520, 288, 528, 192, 544, 70, 44, 131, 81, 50, 73, 15, 320, 133, 52,
    23, 134, 384, 76, 137, 82, 56, 27, 97, 39, 259, 84, 138, 145, 261, 29,
    43, 98, 515, 88, 140, 30, 146, 71, 262, 265, 161, 576, 45, 100, 640, 51,
    148, 46, 75, 266, 273, 517, 104, 162, 53, 193, 152, 77, 164, 768, 268, 274,
    518, 54, 83, 57, 521, 112, 135, 78, 289, 194, 85, 276, 522, 58, 168, 139,
    99, 86, 60, 280, 89, 290, 529, 524, 196, 141, 101, 147, 176, 142, 530, 321,
    31, 200, 90, 545, 292, 322, 532, 263, 149, 102, 105, 304, 296, 163, 92, 47,
    267, 385, 546, 324, 208, 386, 150, 153, 165, 106, 55, 328, 536, 577, 548, 113,
    154, 79, 269, 108, 578, 224, 166, 519, 552, 195, 270, 641, 523, 275, 580, 291,
    59, 169, 560, 114, 277, 156, 87, 197, 116, 170, 61, 531, 525, 642, 281, 278,
    526, 177, 293, 388, 91, 584, 769, 198, 172, 120, 201, 336, 62, 282, 143, 103,
    178, 294, 93, 644, 202, 592, 323, 392, 297, 770, 107, 180, 151, 209, 284, 648,
    94, 204, 298, 400, 608, 352, 325, 533, 155, 210, 305, 547, 300, 109, 184, 534,
    537, 115, 167, 225, 326, 306, 772, 157, 656, 329, 110, 117, 212, 171, 776, 330,
    226, 549, 538, 387, 308, 216, 416, 271, 279, 158, 337, 550, 672, 118, 332, 579,
    540, 389, 173, 121, 553, 199, 784, 179, 228, 338, 312, 704, 390, 174, 554, 581,
    393, 283, 122, 448, 353, 561, 203, 63, 340, 394, 527, 582, 556, 181, 295, 285,
    232, 124, 205, 182, 643, 562, 286, 585, 299, 354, 211, 401, 185, 396, 344, 586,
    645, 593, 535, 240, 206, 95, 327, 564, 800, 402, 356, 307, 301, 417, 213, 568,
    832, 588, 186, 646, 404, 227, 896, 594, 418, 302, 649, 771, 360, 539, 111, 331,
    214, 309, 188, 449, 217, 408, 609, 596, 551, 650, 229, 159, 420, 310, 541, 773,
    610, 657, 333, 119, 600, 339, 218, 368, 652, 230, 391, 313, 450, 542, 334, 233,
    555, 774, 175, 123, 658, 612, 341, 777, 220, 314, 424, 395, 673, 583, 355, 287,
    183, 234, 125, 557, 660, 616, 342, 316, 241, 778, 563, 345, 452, 397, 403, 207,
    674, 558, 785, 432, 357, 187, 236, 664, 624, 587, 780, 705, 126, 242, 565, 398,
    346, 456, 358, 405, 303, 569, 244, 595, 189, 566, 676, 361, 706, 589, 215, 786,
    647, 348, 419, 406, 464, 680, 801, 362, 590, 409, 570, 788, 597, 572, 219, 311,
    708, 598, 601, 651, 421, 792, 802, 611, 602, 410, 231, 688, 653, 248, 369, 190,
    364, 654, 659, 335, 480, 315, 221, 370, 613, 422, 425, 451, 614, 543, 235, 412,
    343, 372, 775, 317, 222, 426, 453, 237, 559, 833, 804, 712, 834, 661, 808, 779,
    617, 604, 433, 720, 816, 836, 347, 897, 243, 662, 454, 318, 675, 618, 898, 781,
    376, 428, 665, 736, 567, 840, 625, 238, 359, 457, 399, 787, 591, 678, 434, 677,
    349, 245, 458, 666, 620, 363, 127, 191, 782, 407, 436, 626, 571, 465, 681, 246,
    707, 350, 599, 668, 790, 460, 249, 682, 573, 411, 803, 789, 709, 365, 440, 628,
    689, 374, 423, 466, 793, 250, 371, 481, 574, 413, 603, 366, 468, 655, 900, 805,
    615, 684, 710, 429, 794, 252, 373, 605, 848, 690, 713, 632, 482, 806, 427, 904,
    414, 223, 663, 692, 835, 619, 472, 455, 796, 809, 714, 721, 837, 716, 864, 810,
    606, 912, 722, 696, 377, 435, 817, 319, 621, 812, 484, 430, 838, 667, 488, 239,
    378, 459, 622, 627, 437, 380, 818, 461, 496, 669, 679, 724, 841, 629, 351, 467,
    438, 737, 251, 462, 442, 441, 469, 247, 683, 842, 738, 899, 670, 783, 849, 820,
    728, 928, 791, 367, 901, 630, 685, 844, 633, 711, 253, 691, 824, 902, 686, 740,
    850, 375, 444, 470, 483, 415, 485, 905, 795, 473, 634, 744, 852, 960, 865, 693,
    797, 906, 715, 807, 474, 636, 694, 254, 717, 575, 913, 798, 811, 379, 697, 431,
    607, 489, 866, 723, 486, 908, 718, 813, 476, 856, 839, 725, 698, 914, 752, 868,
    819, 814, 439, 929, 490, 623, 671, 739, 916, 463, 843, 381, 497, 930, 821, 726,
    961, 872, 492, 631, 729, 700, 443, 741, 845, 920, 382, 822, 851, 730, 498, 880,
    742, 445, 471, 635, 932, 687, 903, 825, 500, 846, 745, 826, 732, 446, 962, 936,
    475, 853, 867, 637, 907, 487, 695, 746, 828, 753, 854, 857, 504, 799, 255, 964,
    909, 719, 477, 915, 638, 748, 944, 869, 491, 699, 754, 858, 478, 968, 383, 910,
    815, 976, 870, 917, 727, 493, 873, 701, 931, 756, 860, 499, 731, 823, 922, 874,
    918, 502, 933, 743, 760, 881, 494, 702, 921, 501, 876, 847, 992, 447, 733, 827,
    934, 882, 937, 963, 747, 505, 855, 924, 734, 829, 965, 938, 884, 506, 749, 945,
    966, 755, 859, 940, 830, 911, 871, 639, 888, 479, 946, 750, 969, 508, 861, 757,
    970, 919, 875, 862, 758, 948, 977, 923, 972, 761, 877, 952, 495, 703, 935, 978,
    883, 762, 503, 925, 878, 735, 993, 885, 939, 994, 980, 926, 764, 941, 967, 886,
    831, 947, 507, 889, 984, 751, 942, 996, 971, 890, 509, 949, 973, 1000, 892, 950,
    863, 759, 1008, 510, 979, 953, 763, 974, 954, 879, 981, 982, 927, 995, 765, 956,
    887, 985, 997, 986, 943, 891, 998, 766, 511, 988, 1001, 951, 1002, 893, 975, 894,
    1009, 955, 1004, 1010, 957, 983, 958, 987, 1012, 999, 1016, 767, 989, 1003, 990, 1005,
    959, 1011, 1013, 895, 1006, 1014, 1017, 1018, 991, 1020, 1007, 1015, 1019, 1021, 1022, 1023,
};

// TS 38.212 table 5.3.1.1-1, Pi_IL^max(m), m = 0..163.
constexpr std::array<std::uint8_t, kPolarKilMax> kPiIlMax = {
    0,   2,   4,   7,   9,   14,  19,  20,  24,  25,  26,  28,  31,  34,  42,  45,  49,  50,  51,  53,  54,
    56,  58,  59,  61,  62,  65,  66,  67,  69,  70,  71,  72,  76,  77,  81,  82,  83,  87,  88,  89,  91,
    93,  95,  98,  101, 104, 106, 108, 110, 111, 113, 115, 118, 119, 120, 122, 123, 126, 127, 129, 132, 134,
    138, 139, 140, 1,   3,   5,   8,   10,  15,  21,  27,  29,  32,  35,  43,  46,  52,  55,  57,  60,  63,
    68,  73,  78,  84,  90,  92,  94,  96,  99,  102, 105, 107, 109, 112, 114, 116, 121, 124, 128, 130, 133,
    135, 141, 6,   11,  16,  22,  30,  33,  36,  44,  47,  64,  74,  79,  85,  97,  100, 103, 117, 125, 131,
    136, 142, 12,  17,  23,  37,  48,  75,  80,  86,  137, 143, 13,  18,  38,  144, 39,  145, 40,  146, 41,
    147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 161, 162, 163};

// TS 38.212 table 5.4.1.1-1: the sub-block interleaver pattern P(i) (also needed for Q_F,tmp).
constexpr std::array<std::uint8_t, 32> kP = {0,  1,  2,  4,  3,  5,  6,  7,  8,  16, 9,  17, 10, 18, 11, 19,
                                             12, 20, 13, 21, 14, 22, 15, 23, 24, 25, 26, 28, 27, 29, 30, 31};

int ceil_log2(long long x) {
  int n = 0;
  while ((1LL << n) < x) ++n;
  return n;
}

bool is_power_of_two(int n) { return n > 0 && (n & (n - 1)) == 0; }

}  // namespace

const std::array<std::uint16_t, kPolarNmax>& polar_reliability_sequence() { return kQ; }

int polar_code_length(int K, int E, int n_max) {
  if (n_max < 5 || n_max > 10) throw InputError("polar code: n_max " + std::to_string(n_max) + " outside 5..10");
  if (K < 1 || E < K || E > (1 << 20)) {
    throw InputError("polar code: K " + std::to_string(K) + ", E " + std::to_string(E) + " (needs 1 <= K <= E <= 2^20)");
  }
  // 5.3.1: n1 = ceil(log2 E) - 1 when E <= (9/8) 2^(ceil(log2 E) - 1) and K/E < 9/16, else ceil(log2 E);
  // R_min = 1/8, n2 = ceil(log2(K/R_min)); n = max(min(n1, n2, n_max), n_min = 5).
  const int le = ceil_log2(E);
  int n1 = le;
  if (8LL * E <= 9LL * (1LL << (le - 1 < 0 ? 0 : le - 1)) && 16LL * K < 9LL * E) n1 = le - 1;
  const int n2 = ceil_log2(8LL * K);
  const int n = std::max(std::min({n1, n2, n_max}), 5);
  return 1 << n;
}

std::vector<int> polar_input_interleaver(int K) {
  if (K < 1 || K > kPolarKilMax) throw InputError("polar input interleaver: K " + std::to_string(K) + " outside 1..164");
  // 5.3.1.1: k = 0; for m = 0..K_IL^max-1: if Pi_IL^max(m) >= K_IL^max - K: Pi(k++) = Pi_IL^max(m) - (K_IL^max - K).
  std::vector<int> pi;
  pi.reserve(static_cast<std::size_t>(K));
  for (int m = 0; m < kPolarKilMax; ++m) {
    if (kPiIlMax[static_cast<std::size_t>(m)] >= kPolarKilMax - K) pi.push_back(kPiIlMax[static_cast<std::size_t>(m)] - (kPolarKilMax - K));
  }
  return pi;
}

std::vector<std::uint8_t> polar_frozen_set(int K, int E, int N) {
  if (!is_power_of_two(N) || N < 32 || N > kPolarNmax) throw InputError("polar frozen set: N " + std::to_string(N));
  if (K < 1 || K > N || E < K) throw InputError("polar frozen set: K " + std::to_string(K) + ", E " + std::to_string(E));
  std::vector<std::uint8_t> excluded(static_cast<std::size_t>(N), 0);  // Q_F,tmp
  if (E < N) {
    // 5.4.1.1 sub-block interleaver J(n) = P(floor(32 n / N)) N/32 + n mod N/32.
    auto J = [N](int n) { return kP[static_cast<std::size_t>(32 * n / N)] * (N / 32) + n % (N / 32); };
    if (16LL * K <= 7LL * E) {  // puncturing
      for (int n = 0; n < N - E; ++n) excluded[static_cast<std::size_t>(J(n))] = 1;
      const int T = (4LL * E >= 3LL * N) ? (3 * N - 2 * E + 3) / 4 : (9 * N - 4 * E + 15) / 16;  // ceil(3N/4 - E/2), ceil(9N/16 - E/4)
      for (int n = 0; n < T && n < N; ++n) excluded[static_cast<std::size_t>(n)] = 1;
    } else {  // shortening
      for (int n = E; n < N; ++n) excluded[static_cast<std::size_t>(J(n))] = 1;
    }
  }
  // Q_I: the K most reliable of Q_0^{N-1} \ Q_F,tmp (n_PC = 0); the rest is frozen.
  std::vector<std::uint8_t> frozen(static_cast<std::size_t>(N), 1);
  int taken = 0;
  for (int i = kPolarNmax - 1; i >= 0 && taken < K; --i) {
    const int q = kQ[static_cast<std::size_t>(i)];
    if (q >= N || excluded[static_cast<std::size_t>(q)]) continue;
    frozen[static_cast<std::size_t>(q)] = 0;
    ++taken;
  }
  if (taken < K) throw InputError("polar frozen set: fewer than K usable positions");
  return frozen;
}

void polar_transform(std::span<std::uint8_t> x) {
  const std::size_t N = x.size();
  for (std::size_t h = 1; h < N; h <<= 1) {
    for (std::size_t b = 0; b < N; b += 2 * h) {
      for (std::size_t i = b; i < b + h; ++i) x[i] ^= x[i + h];
    }
  }
}

PolarCode::PolarCode(int K, int E, int n_max, bool input_interleave) : K_(K), E_(E) {
  N_ = polar_code_length(K, E, n_max);
  frozen_ = polar_frozen_set(K, E, N_);
  for (int n = 0; n < N_; ++n) {
    if (!frozen_[static_cast<std::size_t>(n)]) info_.push_back(n);
  }
  if (input_interleave) {
    pi_ = polar_input_interleaver(K);
  } else {
    pi_.resize(static_cast<std::size_t>(K));
    for (int k = 0; k < K; ++k) pi_[static_cast<std::size_t>(k)] = k;
  }
}

void PolarCode::encode(std::span<const std::uint8_t> c, std::span<std::uint8_t> d) const {
  if (static_cast<int>(c.size()) != K_ || static_cast<int>(d.size()) != N_) throw InputError("polar encode: sizes");
  std::fill(d.begin(), d.end(), std::uint8_t{0});
  // 5.3.1.2: u_n = c'_k on the information positions in increasing n, c'_k = c_{Pi(k)} (5.3.1.1).
  for (int k = 0; k < K_; ++k) {
    d[static_cast<std::size_t>(info_[static_cast<std::size_t>(k)])] = c[static_cast<std::size_t>(pi_[static_cast<std::size_t>(k)])] & 1u;
  }
  polar_transform(d);
}

// ---- list decoder ----

PolarListDecoder::PolarListDecoder(const PolarCode& code, int list_size) : code_(code), L_(list_size), N_(code.N()) {
  if (L_ < 1 || L_ > 32) throw InputError("polar list decoder: list size " + std::to_string(L_) + " outside 1..32");
  n_ = ceil_log2(N_);
  paths_.resize(static_cast<std::size_t>(L_));
  for (auto& p : paths_) {
    p.alpha.assign(static_cast<std::size_t>(2 * N_), 0.0f);
    p.beta.assign(static_cast<std::size_t>((n_ + 1) * N_), 0);
  }
}

namespace {
inline float f_minsum(float a, float b) {
  const float m = std::min(std::fabs(a), std::fabs(b));
  return ((a < 0) != (b < 0)) ? -m : m;
}
}  // namespace

void PolarListDecoder::leaf_decision(int leaf) {
  const bool is_frozen = code_.frozen()[static_cast<std::size_t>(leaf)] != 0;
  if (is_frozen) {
    for (int pi : active_) {
      Path& p = paths_[static_cast<std::size_t>(pi)];
      const float l = alpha(p, 0)[0];
      if (l < 0) p.pm += -l;
      beta(p, 0)[leaf] = 0;
    }
    return;
  }
  // Candidates: (path, bit). Decision along the LLR costs nothing, against it |LLR|.
  struct Cand {
    double pm;
    int path;
    std::uint8_t bit;
  };
  std::vector<Cand> cands;
  cands.reserve(2 * active_.size());
  for (int pi : active_) {
    Path& p = paths_[static_cast<std::size_t>(pi)];
    const float l = alpha(p, 0)[0];
    const std::uint8_t hard = l < 0 ? 1 : 0;
    cands.push_back({p.pm, pi, hard});
    cands.push_back({p.pm + std::fabs(l), pi, static_cast<std::uint8_t>(hard ^ 1u)});
  }
  const std::size_t keep = std::min<std::size_t>(cands.size(), static_cast<std::size_t>(L_));
  if (keep < cands.size()) {
    std::nth_element(cands.begin(), cands.begin() + static_cast<std::ptrdiff_t>(keep), cands.end(),
                     [](const Cand& a, const Cand& b) { return a.pm < b.pm; });
    cands.resize(keep);
  }
  // Per path: which bits survive.
  std::vector<std::uint8_t> mask(paths_.size(), 0);
  for (const auto& c : cands) mask[static_cast<std::size_t>(c.path)] |= static_cast<std::uint8_t>(1u << c.bit);
  std::vector<int> next;
  next.reserve(static_cast<std::size_t>(L_));
  for (int pi : active_) {
    const auto m = mask[static_cast<std::size_t>(pi)];
    if (m == 0) {
      free_.push_back(pi);
    } else {
      next.push_back(pi);
    }
  }
  for (int pi : active_) {
    Path& p = paths_[static_cast<std::size_t>(pi)];
    const auto m = mask[static_cast<std::size_t>(pi)];
    if (m == 0) continue;
    const float l = alpha(p, 0)[0];
    const std::uint8_t hard = l < 0 ? 1 : 0;
    if (m == 3) {
      const int qi = free_.back();
      free_.pop_back();
      Path& q = paths_[static_cast<std::size_t>(qi)];
      q.alpha = p.alpha;
      q.beta = p.beta;
      q.pm = p.pm + std::fabs(l);
      beta(q, 0)[leaf] = hard ^ 1u;
      beta(p, 0)[leaf] = hard;
      next.push_back(qi);
    } else {
      const std::uint8_t bit = (m == 1) ? 0 : 1;
      if (bit != hard) p.pm += std::fabs(l);
      beta(p, 0)[leaf] = bit;
    }
  }
  active_.swap(next);
}

void PolarListDecoder::recurse(int s, int leaf) {
  if (s == 0) {
    leaf_decision(leaf);
    return;
  }
  const int h = 1 << (s - 1);
  for (int pi : active_) {
    Path& p = paths_[static_cast<std::size_t>(pi)];
    const float* a = alpha(p, s);
    float* b = alpha(p, s - 1);
    for (int i = 0; i < h; ++i) b[i] = f_minsum(a[i], a[i + h]);
  }
  recurse(s - 1, leaf);
  for (int pi : active_) {
    Path& p = paths_[static_cast<std::size_t>(pi)];
    const float* a = alpha(p, s);
    float* b = alpha(p, s - 1);
    const std::uint8_t* bl = beta(p, s - 1) + leaf;
    for (int i = 0; i < h; ++i) b[i] = a[i + h] + (bl[i] ? -a[i] : a[i]);
  }
  recurse(s - 1, leaf + h);
  for (int pi : active_) {
    Path& p = paths_[static_cast<std::size_t>(pi)];
    const std::uint8_t* bl = beta(p, s - 1) + leaf;
    const std::uint8_t* br = beta(p, s - 1) + leaf + h;
    std::uint8_t* bo = beta(p, s) + leaf;
    for (int i = 0; i < h; ++i) {
      bo[i] = bl[i] ^ br[i];
      bo[i + h] = br[i];
    }
  }
}

bool PolarListDecoder::decode(std::span<const float> llr_d,
                              const std::function<bool(std::span<const std::uint8_t>)>& check, Result& out) {
  if (static_cast<int>(llr_d.size()) != N_) throw InputError("polar decode: " + std::to_string(llr_d.size()) + " LLRs, needs N");
  active_.assign(1, 0);
  free_.clear();
  for (int i = L_ - 1; i >= 1; --i) free_.push_back(i);
  Path& p0 = paths_[0];
  p0.pm = 0.0;
  float* ch = alpha(p0, n_);
  for (int i = 0; i < N_; ++i) {
    const float v = llr_d[static_cast<std::size_t>(i)];
    ch[i] = std::isfinite(v) ? v : 0.0f;
  }
  recurse(n_, 0);
  std::vector<int> order = active_;
  std::sort(order.begin(), order.end(),
            [this](int a, int b) { return paths_[static_cast<std::size_t>(a)].pm < paths_[static_cast<std::size_t>(b)].pm; });
  const int K = code_.K();
  std::vector<std::uint8_t> c(static_cast<std::size_t>(K));
  const auto& info = code_.info_positions();
  const auto& pi = code_.interleaver();
  for (std::size_t r = 0; r < order.size(); ++r) {
    Path& p = paths_[static_cast<std::size_t>(order[r])];
    const std::uint8_t* u = beta(p, 0);
    for (int k = 0; k < K; ++k) c[static_cast<std::size_t>(pi[static_cast<std::size_t>(k)])] = u[info[static_cast<std::size_t>(k)]];
    if (check(c)) {
      out.c = c;
      out.path_metric = p.pm;
      out.list_rank = static_cast<int>(r);
      return true;
    }
  }
  return false;
}

}  // namespace tw::nr

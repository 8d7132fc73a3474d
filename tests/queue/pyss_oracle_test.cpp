// Replays pyss's hand-built scheduler test vectors through LocalQueue. Each
// file encodes the finish time pyss expects for every job in the job's id, so
// passing here means our FCFS and EASY make the same decisions as pyss's
// (including tie-breaks at equal times), not just plausible ones.
// Format and provenance: tests/data/pyss_unit_oracles/README.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/engine/local_queue.hpp"

namespace suanwang {
namespace {

constexpr std::int64_t kPyssMachineUnits = 100;  // NUM_PROCESSORS in pyss's tests.py

std::string oracle_dir() { return std::string(SUANWANG_TEST_DATA_DIR) + "/pyss_unit_oracles"; }

struct OracleJob {
  std::string id_text;
  std::int64_t submit_s = 0;
  std::int64_t estimate_s = 0;
  std::int64_t units = 0;
  std::int64_t actual_s = 0;
  std::int64_t expected_finish_s = 0;
};

std::vector<OracleJob> read_oracle(const std::string& name) {
  std::ifstream in(oracle_dir() + "/" + name);
  EXPECT_TRUE(in) << "cannot open " << oracle_dir() << "/" << name;
  // basic_input ids may carry a suffix like "12.3" that float parsing would
  // misread for ids such as "12.30"; pyss's tests cut at the dot there.
  const bool cut_at_dot = name.rfind("basic_input.", 0) == 0;
  std::vector<OracleJob> jobs;
  std::string line;
  while (std::getline(in, line)) {
    const auto hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    std::istringstream fields(line);
    OracleJob j;
    if (!(fields >> j.submit_s >> j.id_text >> j.estimate_s >> j.units >> j.actual_s)) continue;
    // pyss's input filter: such jobs are never simulated.
    if (!(j.estimate_s >= j.actual_s && j.submit_s >= 0 && j.units > 0 && j.actual_s >= 0)) continue;
    j.expected_finish_s = cut_at_dot
                              ? std::stoll(j.id_text.substr(0, j.id_text.find('.')))
                              : static_cast<std::int64_t>(std::stod(j.id_text));
    jobs.push_back(j);
  }
  return jobs;
}

// Discrete-event replay at integer times: completions, then arrivals (file
// order), then one selection. A zero-length job completes at its start time,
// so the same instant is revisited until nothing more happens.
std::vector<std::int64_t> replay(const std::vector<OracleJob>& jobs, QueueDiscipline discipline) {
  LocalQueue q(kPyssMachineUnits, discipline);
  std::multimap<std::int64_t, std::size_t> arrivals, completions;
  for (std::size_t i = 0; i < jobs.size(); ++i) arrivals.emplace(jobs[i].submit_s, i);
  std::vector<std::int64_t> finish(jobs.size(), -1);

  while (!arrivals.empty() || !completions.empty()) {
    std::int64_t now = std::numeric_limits<std::int64_t>::max();
    if (!arrivals.empty()) now = arrivals.begin()->first;
    if (!completions.empty()) now = std::min(now, completions.begin()->first);
    bool progressed = true;
    while (progressed) {
      progressed = false;
      for (auto it = completions.find(now); it != completions.end() && it->first == now;
           it = completions.erase(it)) {
        q.finish(it->second);
        progressed = true;
      }
      for (auto it = arrivals.find(now); it != arrivals.end() && it->first == now;
           it = arrivals.erase(it)) {
        const OracleJob& j = jobs[it->second];
        q.push({it->second, j.units, static_cast<double>(j.estimate_s), static_cast<double>(now), {}});
        progressed = true;
      }
      if (!progressed) break;
      for (const QueuedJob& s : q.select(static_cast<double>(now))) {
        const std::int64_t end = now + jobs[s.id].actual_s;
        finish[s.id] = end;
        completions.emplace(end, s.id);
      }
      EXPECT_LE(q.used_units(), q.capacity_units()) << "at t=" << now;
    }
  }
  return finish;
}

struct OracleCase {
  std::string file;
  QueueDiscipline discipline;
};

// Readable failure lines instead of gtest's byte dump of the struct.
void PrintTo(const OracleCase& c, std::ostream* os) {
  *os << (c.discipline == QueueDiscipline::fcfs ? "fcfs " : "easy ") << c.file;
}

std::string case_name(const testing::TestParamInfo<OracleCase>& info) {
  std::string n = std::string(info.param.discipline == QueueDiscipline::fcfs ? "fcfs_" : "easy_") +
                  info.param.file;
  for (char& c : n)
    if (c == '.') c = '_';
  return n;
}

std::vector<OracleCase> cases(QueueDiscipline d, const std::string& prefix, int first, int last) {
  std::vector<OracleCase> out;
  for (int i = first; i <= last; ++i) out.push_back({prefix + "." + std::to_string(i), d});
  return out;
}

std::vector<OracleCase> fcfs_cases() {
  std::vector<OracleCase> out;
  for (auto part : {cases(QueueDiscipline::fcfs, "fcfs_input", 0, 7),
                    cases(QueueDiscipline::fcfs, "basic_input", 0, 28),
                    cases(QueueDiscipline::fcfs, "extreme_input", 0, 1)})
    out.insert(out.end(), part.begin(), part.end());
  return out;
}

std::vector<OracleCase> easy_cases() {
  std::vector<OracleCase> out;
  for (auto part : {cases(QueueDiscipline::easy, "basic_input", 0, 28),
                    cases(QueueDiscipline::easy, "extreme_input", 0, 2),
                    cases(QueueDiscipline::easy, "bf_input", 0, 8),
                    cases(QueueDiscipline::easy, "easy_bf_input", 0, 3)})
    out.insert(out.end(), part.begin(), part.end());
  return out;
}

class PyssOracle : public testing::TestWithParam<OracleCase> {};

TEST_P(PyssOracle, EveryJobFinishesWhenPyssSays) {
  const auto jobs = read_oracle(GetParam().file);
  ASSERT_FALSE(jobs.empty()) << GetParam().file;
  const auto finish = replay(jobs, GetParam().discipline);
  for (std::size_t i = 0; i < jobs.size(); ++i)
    EXPECT_EQ(finish[i], jobs[i].expected_finish_s)
        << GetParam().file << " job '" << jobs[i].id_text << "' (line-order #" << i
        << ", submit " << jobs[i].submit_s << ", units " << jobs[i].units << ")";
}

INSTANTIATE_TEST_SUITE_P(Fcfs, PyssOracle, testing::ValuesIn(fcfs_cases()), case_name);
INSTANTIATE_TEST_SUITE_P(Easy, PyssOracle, testing::ValuesIn(easy_cases()), case_name);

// Guards against the table above silently skipping files: every oracle file
// named in the README for FCFS or EASY must be listed.
TEST(PyssOracleFiles, AllListedFilesExist) {
  std::set<std::string> listed;
  for (const auto& c : fcfs_cases()) listed.insert(c.file);
  for (const auto& c : easy_cases()) listed.insert(c.file);
  for (const auto& f : listed) {
    std::ifstream in(oracle_dir() + "/" + f);
    EXPECT_TRUE(in.good()) << f;
  }
  for (const char* absent : {"fcfs_input.8", "basic_input.29", "extreme_input.3", "bf_input.9",
                             "easy_bf_input.4"}) {
    std::ifstream in(oracle_dir() + "/" + absent);
    EXPECT_FALSE(in.good()) << absent << " exists but is not replayed";
  }
}

}  // namespace
}  // namespace suanwang

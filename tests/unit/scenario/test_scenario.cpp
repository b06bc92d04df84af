// Scenario conditions, distributions, files and the virtual clock.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numeric>

#include "config/load.hpp"
#include "core/error.hpp"
#include "scenario/availability_trace.hpp"
#include "scenario/device_profiles.hpp"
#include "scenario/distribution.hpp"
#include "scenario/scenario.hpp"
#include "scenario/virtual_clock.hpp"

using namespace fedhpc;

namespace {

std::vector<ClientId> ids(std::uint32_t first, std::uint32_t count) {
  std::vector<ClientId> v;
  for (std::uint32_t i = 0; i < count; ++i) v.push_back(ClientId{first + i});
  return v;
}

double sample_mean(const Distribution& d, int n, double* min_seen = nullptr) {
  Rng rng(42);
  double sum = 0.0, lo = INFINITY;
  for (int i = 0; i < n; ++i) {
    const double x = sample(d, rng);
    sum += x;
    lo = std::min(lo, x);
  }
  if (min_seen) *min_seen = lo;
  return sum / n;
}

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = std::string(FEDHPC_TEST_OUT) + "/" + name;
  std::ofstream(path) << text;
  return path;
}

std::string input_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Distribution, MeansOverTenThousandDraws) {
  EXPECT_EQ(sample_mean({DistributionKind::Constant, 2.5, 0.0}, 100), 2.5);
  EXPECT_NEAR(sample_mean({DistributionKind::Uniform, 2.0, 4.0}, 10000), 3.0, 0.03);
  // E[exp(N(0, 0.5^2))] = exp(0.125) = 1.1331
  EXPECT_NEAR(sample_mean({DistributionKind::Lognormal, 0.0, 0.5}, 10000), std::exp(0.125), 0.02);
  // Pareto(shape 3, scale 1): mean 3/2, never below the scale.
  double lowest = 0.0;
  EXPECT_NEAR(sample_mean({DistributionKind::Pareto, 3.0, 1.0}, 10000, &lowest), 1.5, 0.04);
  EXPECT_GE(lowest, 1.0);
  EXPECT_DOUBLE_EQ(mean_of({DistributionKind::Pareto, 3.0, 1.0}), 1.5);
  EXPECT_TRUE(std::isinf(mean_of({DistributionKind::Pareto, 1.0, 1.0})));
}

TEST(Distribution, ParsesItsOwnDescriptions) {
  std::string error;
  for (const char* text : {"2.5", "constant(3)", "uniform(1, 4)", "lognormal(0, 0.5)", "pareto(2,1.5)"}) {
    auto d = parse_distribution(text, error);
    ASSERT_TRUE(d) << text << ": " << error;
    auto again = parse_distribution(describe(*d), error);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->kind, d->kind);
    EXPECT_EQ(again->a, d->a);
    EXPECT_EQ(again->b, d->b);
  }
  EXPECT_FALSE(parse_distribution("gaussian(0, 1)", error));
  EXPECT_NE(error.find("expected one of constant(value), uniform(low, high)"), std::string::npos) << error;
  EXPECT_FALSE(parse_distribution("uniform(4, 1)", error));
  EXPECT_EQ(error, "uniform(low, high) needs low < high, found 4 and 1");
  EXPECT_FALSE(parse_distribution("lognormal(0)", error));
  EXPECT_EQ(error, "expected lognormal(mu, sigma) (2 parameters), found 'lognormal(0)'");
  EXPECT_FALSE(parse_distribution("pareto(0, 1)", error));
}

TEST(Scenario, DropoutRateOverTenThousandDraws) {
  ScenarioConfig c;
  c.dropout_probability = 0.3;
  const Scenario s(c, 11, 1000);
  int dropped = 0, total = 0;
  for (std::uint32_t r = 1; r <= 10; ++r) {
    const auto cohort = ids(0, 1000);
    for (const auto& cond : s.conditions(Round{r}, cohort)) {
      dropped += cond.dropout;
      ++total;
    }
  }
  EXPECT_EQ(total, 10000);
  EXPECT_NEAR(static_cast<double>(dropped) / total, 0.3, 0.02);
}

TEST(Scenario, RoundModeStragglesExactlyAShareOfEachCohort) {
  ScenarioConfig c;
  c.straggler_fraction = 0.9;
  c.slowdown = {DistributionKind::Uniform, 2.0, 10.0};
  const Scenario s(c, 3, 30);
  for (std::uint32_t r = 1; r <= 20; ++r) {
    const auto cond = s.conditions(Round{r}, ids(r % 20, 10));
    int stragglers = 0;
    for (const auto& x : cond) {
      stragglers += x.straggler;
      if (x.straggler) {
        EXPECT_GE(x.slowdown, 2.0);
        EXPECT_LT(x.slowdown, 10.0);
      } else {
        EXPECT_EQ(x.slowdown, 1.0);
      }
    }
    EXPECT_EQ(stragglers, 9);  // round(0.9 x 10)
  }
}

TEST(Scenario, ClientModeStragglersAreAFixedShareOfDevices) {
  ScenarioConfig c;
  c.straggler_fraction = 0.2;
  c.straggler_mode = StragglerMode::Client;
  const Scenario s(c, 5, 10000);
  const auto all = ids(0, 10000);
  const auto first = s.conditions(Round{1}, all), later = s.conditions(Round{7}, all);
  int count = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    count += first[i].straggler;
    EXPECT_EQ(first[i].straggler, later[i].straggler);
    EXPECT_EQ(first[i].slowdown, later[i].slowdown);
  }
  EXPECT_NEAR(count / 10000.0, 0.2, 0.02);
}

// Every per-client outcome is a function of (seed, round, client): a client
// gets the same device, dropout and failure point whichever cohort (and so
// whichever rank or placement) it is computed in.
TEST(Scenario, ConditionsDependOnlyOnSeedRoundAndClient) {
  ScenarioConfig c;
  c.dropout_probability = 0.4;
  c.dropout_at = {DistributionKind::Uniform, 0.0, 1.0};
  c.speed = {DistributionKind::Lognormal, 0.0, 0.7};
  c.bandwidth = {DistributionKind::Pareto, 2.0, 10.0};
  c.outage_probability = 0.2;
  c.outage_group_size = 4;
  c.outage_rounds = 3;
  const Scenario s(c, 99, 64);
  const Scenario same(c, 99, 64);
  const Scenario other_seed(c, 100, 64);
  const auto whole = s.conditions(Round{5}, ids(0, 64));
  const auto part = same.conditions(Round{5}, ids(32, 16));
  int differ = 0;
  for (std::uint32_t i = 0; i < 16; ++i) {
    const auto& a = whole[32 + i];
    const auto& b = part[i];
    EXPECT_EQ(a.speed, b.speed);
    EXPECT_EQ(a.bandwidth, b.bandwidth);
    EXPECT_EQ(a.dropout, b.dropout);
    EXPECT_EQ(a.dropout_at, b.dropout_at);
    EXPECT_EQ(a.outage, b.outage);
    differ += a.speed != other_seed.conditions(Round{5}, ids(32 + i, 1))[0].speed;
  }
  EXPECT_EQ(differ, 16);  // another seed draws other devices
}

TEST(Scenario, OutagesDarkenWholeGroupsForTheirSpan) {
  ScenarioConfig c;
  c.outage_probability = 0.1;
  c.outage_group_size = 5;
  c.outage_rounds = 4;
  const Scenario s(c, 8, 100);
  int dark_rounds = 0;
  for (std::uint32_t r = 1; r <= 200; ++r) {
    for (std::uint32_t g = 0; g < 20; ++g) {
      const bool dark = s.in_outage(ClientId{g * 5}, Round{r});
      for (std::uint32_t k = 1; k < 5; ++k) EXPECT_EQ(s.in_outage(ClientId{g * 5 + k}, Round{r}), dark);
      dark_rounds += dark;
    }
  }
  // P(dark) = 1 - 0.9^4 = 0.3439 once four rounds can have started one.
  EXPECT_NEAR(dark_rounds / 4000.0, 1.0 - std::pow(0.9, 4), 0.03);
}

TEST(Scenario, DiurnalAvailabilityKeepsItsOnFraction) {
  ScenarioConfig c;
  c.availability = AvailabilityPattern::Diurnal;
  c.diurnal_period = 1000.0;
  c.diurnal_on_fraction = 0.25;
  const Scenario s(c, 2, 10000);
  EXPECT_NEAR(s.online_pool(123.0).size() / 10000.0, 0.25, 0.02);
  // A client online now is offline half a period later when on_fraction < 0.5.
  const auto pool = s.online_pool(0.0);
  for (std::size_t i = 0; i < 50; ++i) EXPECT_FALSE(s.online(ClientId{pool[i]}, 500.0));
}

TEST(AvailabilityTrace, ReadsIntervalsAndRepeatsThem) {
  const auto path = write_file("trace.csv", "# client availability\nclient,start,end\n0,0,10\n0,50,60\n7,20,100\n");
  const AvailabilityTrace t(path);
  EXPECT_EQ(t.trace_clients(), 2u);
  EXPECT_EQ(t.period(), 100.0);
  EXPECT_TRUE(t.available(ClientId{0}, 5.0));
  EXPECT_FALSE(t.available(ClientId{0}, 10.0));  // end is exclusive
  EXPECT_TRUE(t.available(ClientId{0}, 155.0));  // the trace repeats every 100 s
  EXPECT_TRUE(t.available(ClientId{1}, 20.0));   // client 1 follows trace client 7
  EXPECT_TRUE(t.available(ClientId{2}, 0.0));    // client 2 follows trace client 0 again
  EXPECT_EQ(t.next_online(ClientId{0}, 30.0), 50.0);
  EXPECT_EQ(t.next_online(ClientId{0}, 70.0), 100.0);
  EXPECT_EQ(t.next_online(ClientId{1}, 5.0), 20.0);
}

TEST(AvailabilityTrace, BadFilesNameFileAndLine) {
  const auto missing = std::string(FEDHPC_TEST_OUT) + "/no_such_trace.csv";
  EXPECT_EQ(input_error([&] { AvailabilityTrace t(missing); }), missing + ": cannot open the file");
  const auto bad_number = write_file("trace_bad.csv", "client,start,end\n0,0,10\n1,abc,20\n");
  EXPECT_EQ(input_error([&] { AvailabilityTrace t(bad_number); }),
            bad_number + ":3: column 'start': expected a number, found 'abc'");
  const auto backwards = write_file("trace_backwards.csv", "client,start,end\n0,30,10\n");
  EXPECT_EQ(input_error([&] { AvailabilityTrace t(backwards); }),
            backwards + ":2: end: expected a time after start (30), found 10");
  const auto short_row = write_file("trace_short.csv", "client,start,end\n0,30\n");
  EXPECT_EQ(input_error([&] { AvailabilityTrace t(short_row); }),
            short_row + ":2: expected 3 values (client, start, end), found 2");
  const auto header = write_file("trace_header.csv", "id,start,end\n0,0,1\n");
  EXPECT_EQ(input_error([&] { AvailabilityTrace t(header); }),
            header + ":1: unknown column 'id' (expected columns: client, start, end)");
}

TEST(DeviceProfiles, ClassesAreDrawnByWeight) {
  const auto path = write_file("classes.csv", "class,speed,bandwidth,weight\nphone,0.5,10,3\nlaptop,2,100,1\n");
  ScenarioConfig c;
  const Scenario s(c, 4, 10000, read_device_profiles(path));
  int phones = 0;
  for (std::uint32_t i = 0; i < 10000; ++i) {
    const auto d = s.device(ClientId{i});
    EXPECT_TRUE((d.speed == 0.5 && d.bandwidth == 10.0) || (d.speed == 2.0 && d.bandwidth == 100.0));
    phones += d.speed == 0.5;
  }
  EXPECT_NEAR(phones / 10000.0, 0.75, 0.02);
}

TEST(DeviceProfiles, ClientRowsOverrideTheDrawnDevice) {
  const auto path = write_file("clients.csv", "client,speed,bandwidth\n3,0.25,5\n");
  ScenarioConfig c;
  c.speed = {DistributionKind::Constant, 1.5, 0.0};
  const Scenario s(c, 4, 10, read_device_profiles(path));
  EXPECT_EQ(s.device(ClientId{3}).speed, 0.25);
  EXPECT_EQ(s.device(ClientId{3}).bandwidth, 5.0);
  EXPECT_EQ(s.device(ClientId{4}).speed, 1.5);
  const auto both = write_file("both.csv", "client,class,speed,bandwidth\n0,a,1,1\n");
  EXPECT_NE(input_error([&] { read_device_profiles(both); }).find("either a 'client' or a 'class' column"),
            std::string::npos);
  const auto slow = write_file("zero_speed.csv", "class,speed,bandwidth\nx,0,1\n");
  EXPECT_EQ(input_error([&] { read_device_profiles(slow); }), slow + ":2: speed: expected a number > 0, found 0");
}

// The virtual clock on hand-computed numbers: 1 MB models over 8 Mbit/s take
// 1 s per transfer; 100 sample passes at 0.01 s take 1 s at speed 1.
namespace {
CostModel unit_cost() { return {0.01, 1e6, 0.0}; }
ClientCondition plain() {
  ClientCondition c;
  c.bandwidth = 8.0;
  return c;
}
}  // namespace

TEST(VirtualClock, CompletedStragglerDroppedAndUnavailable) {
  std::vector<ClientCondition> cond(4, plain());
  cond[1].straggler = true;
  cond[1].slowdown = 3.0;
  cond[2].dropout = true;
  cond[2].dropout_at = 0.5;
  cond[3].outage = true;
  const std::vector<ClientWork> work(4, ClientWork{10, 100});
  const RoundTiming t = resolve_round(cond, work, unit_cost(), {});
  EXPECT_EQ(t.clients[0].status, ClientStatus::Completed);
  EXPECT_DOUBLE_EQ(t.clients[0].finish_seconds, 3.0);  // 1 down + 1 compute + 1 up
  EXPECT_EQ(t.clients[1].status, ClientStatus::Completed);
  EXPECT_DOUBLE_EQ(t.clients[1].compute_seconds, 3.0);
  EXPECT_DOUBLE_EQ(t.clients[1].finish_seconds, 5.0);
  EXPECT_EQ(t.clients[2].status, ClientStatus::Dropped);
  EXPECT_EQ(t.clients[2].steps_done, 5);
  EXPECT_DOUBLE_EQ(t.clients[2].finish_seconds, 1.5);
  EXPECT_DOUBLE_EQ(t.clients[2].upload_seconds, 0.0);
  EXPECT_EQ(t.clients[3].status, ClientStatus::Unavailable);
  EXPECT_EQ(t.clients[3].finish_seconds, 0.0);
  EXPECT_DOUBLE_EQ(t.seconds, 5.0);  // the server waits for the straggler
}

TEST(VirtualClock, DeadlineDropsOrKeepsPartialWork) {
  std::vector<ClientCondition> cond(2, plain());
  cond[1].slowdown = 3.0;  // would finish at 5 s
  const std::vector<ClientWork> work(2, ClientWork{10, 100});
  const RoundTiming dropped = resolve_round(cond, work, unit_cost(), {4.0, 0.0, 0, StragglerPolicy::Drop});
  EXPECT_EQ(dropped.clients[1].status, ClientStatus::Late);
  EXPECT_EQ(dropped.clients[1].steps_done, 0);
  EXPECT_DOUBLE_EQ(dropped.clients[1].finish_seconds, 4.0);
  EXPECT_DOUBLE_EQ(dropped.seconds, 4.0);
  // Partial: 4 - 2 s of transfers leaves 2 of 3 compute seconds: floor(10 x 2/3) = 6 steps.
  const RoundTiming partial = resolve_round(cond, work, unit_cost(), {4.0, 0.0, 0, StragglerPolicy::Partial});
  EXPECT_EQ(partial.clients[1].status, ClientStatus::Partial);
  EXPECT_EQ(partial.clients[1].steps_done, 6);
  EXPECT_DOUBLE_EQ(partial.clients[1].compute_seconds, 1.8);
  EXPECT_DOUBLE_EQ(partial.clients[1].finish_seconds, 3.8);
  EXPECT_DOUBLE_EQ(partial.seconds, 3.8);
  // Too slow for even one step: late under either policy.
  cond[1].slowdown = 100.0;
  EXPECT_EQ(resolve_round(cond, work, unit_cost(), {2.05, 0.0, 0, StragglerPolicy::Partial}).clients[1].status,
            ClientStatus::Late);
}

// FedProx's setting: each client has the time it needs at full speed, so a
// straggler slowed s times does 1/s of its steps (partial) or none (drop).
TEST(VirtualClock, RelativeDeadlineGivesStragglersAShareOfTheirWork) {
  std::vector<ClientCondition> cond(3, plain());
  cond[1].slowdown = 4.0;
  cond[2].slowdown = 4.0;
  cond[2].speed = 0.5;  // a slow device is not a straggler: its own time is the budget
  const std::vector<ClientWork> work{{10, 100}, {10, 100}, {20, 100}};
  // Sizes whose times do not add up exactly in floating point still count
  // as on time at speed 1.
  for (std::int64_t passes : {7, 13, 333, 12345}) {
    std::vector<ClientCondition> one(1, plain());
    one[0].speed = 0.7;
    one[0].bandwidth = 3.3;
    const CostModel odd{0.0013, 24400.0, 0.05};
    EXPECT_EQ(resolve_round(one, std::vector<ClientWork>{{9, passes}}, odd, {0.0, 1.0, 0, StragglerPolicy::Drop})
                  .clients[0].status,
              ClientStatus::Completed)
        << passes;
  }
  const RoundTiming partial = resolve_round(cond, work, unit_cost(), {0.0, 1.0, 0, StragglerPolicy::Partial});
  EXPECT_EQ(partial.clients[0].status, ClientStatus::Completed);  // finishes exactly at its deadline, 3 s
  EXPECT_EQ(partial.clients[1].status, ClientStatus::Partial);
  EXPECT_EQ(partial.clients[1].steps_done, 2);  // floor(10 x 1/4); 2.5 would not be a whole step
  EXPECT_DOUBLE_EQ(partial.clients[1].finish_seconds, 2.8);
  EXPECT_EQ(partial.clients[2].steps_done, 5);  // floor(20 x 2 s / 8 s)
  EXPECT_DOUBLE_EQ(partial.seconds, 4.0);       // the slow device's 1 + 2 + 1
  const RoundTiming drop = resolve_round(cond, work, unit_cost(), {0.0, 1.0, 0, StragglerPolicy::Drop});
  EXPECT_EQ(drop.clients[1].status, ClientStatus::Late);
  EXPECT_DOUBLE_EQ(drop.clients[1].finish_seconds, 3.0);
  EXPECT_EQ(drop.clients[2].status, ClientStatus::Late);
  EXPECT_DOUBLE_EQ(drop.seconds, 4.0);
}

TEST(VirtualClock, OvercommitKeepsTheFirstToFinish) {
  std::vector<ClientCondition> cond(4, plain());
  cond[0].slowdown = 3.0;  // finishes at 5
  cond[2].slowdown = 2.0;  // 4
  cond[3].dropout = true;  // fails at 1 + 0.9 = 1.9 ... after the close? no: before
  cond[3].dropout_at = 0.9;
  const std::vector<ClientWork> work(4, ClientWork{10, 100});
  const RoundTiming t = resolve_round(cond, work, unit_cost(), {0.0, 0.0, 2, StragglerPolicy::Drop});
  EXPECT_EQ(t.clients[1].status, ClientStatus::Completed);  // 3 s
  EXPECT_EQ(t.clients[2].status, ClientStatus::Completed);  // 4 s closes the round
  EXPECT_EQ(t.clients[0].status, ClientStatus::Late);
  EXPECT_DOUBLE_EQ(t.clients[0].finish_seconds, 4.0);
  EXPECT_DOUBLE_EQ(t.clients[0].compute_seconds, 3.0);  // computed until the close
  EXPECT_EQ(t.clients[3].status, ClientStatus::Dropped);
  EXPECT_DOUBLE_EQ(t.seconds, 4.0);
}

TEST(VirtualClock, NobodySurvivesIsARoundOfFailures) {
  std::vector<ClientCondition> cond(3, plain());
  for (auto& c : cond) c.outage = true;
  const RoundTiming t = resolve_round(cond, std::vector<ClientWork>(3, ClientWork{10, 100}), unit_cost(), {});
  for (const auto& o : t.clients) EXPECT_EQ(o.status, ClientStatus::Unavailable);
  EXPECT_EQ(t.seconds, 0.0);
  const RoundTiming with_deadline =
      resolve_round(cond, std::vector<ClientWork>(3, ClientWork{10, 100}), unit_cost(), {30.0, 0.0, 0, StragglerPolicy::Drop});
  EXPECT_EQ(with_deadline.seconds, 0.0);
}

namespace {
std::vector<std::string> scenario_problems(const std::string& yaml) {
  try {
    load_config(yaml, "s.yaml");
  } catch (const ConfigError& e) {
    return e.problems();
  }
  return {};
}
}  // namespace

TEST(ScenarioConfig, ReadsEveryKey) {
  const RunConfig c = load_config(R"yaml(scenario:
  compute: { sample_seconds: 0.002, speed: { lognormal: [0, 0.5] } }
  network: { bandwidth: "uniform(10, 50)", latency: 0.1 }
  stragglers: { fraction: 0.5, slowdown: { pareto: [2, 1.5] }, mode: client }
  straggler_policy: partial
  dropouts: { probability: 0.3, at: { uniform: [0, 1] } }
  outages: { probability: 0.01, group_size: 20, rounds: 5 }
  availability: { pattern: diurnal, period: 3600, on_fraction: 0.4 }
  deadline: { seconds: 120, overcommit: 1.3 }
)yaml",
                                  "s.yaml");
  const ScenarioConfig& s = c.scenario;
  EXPECT_EQ(s.sample_seconds, 0.002);
  EXPECT_EQ(s.speed.kind, DistributionKind::Lognormal);
  EXPECT_EQ(s.speed.b, 0.5);
  EXPECT_EQ(s.bandwidth.kind, DistributionKind::Uniform);
  EXPECT_EQ(s.bandwidth.b, 50.0);
  EXPECT_EQ(s.latency, 0.1);
  EXPECT_EQ(s.straggler_fraction, 0.5);
  EXPECT_EQ(s.slowdown.kind, DistributionKind::Pareto);
  EXPECT_EQ(s.straggler_mode, StragglerMode::Client);
  EXPECT_EQ(s.straggler_policy, StragglerPolicy::Partial);
  EXPECT_EQ(s.dropout_probability, 0.3);
  EXPECT_EQ(s.dropout_at.kind, DistributionKind::Uniform);
  EXPECT_EQ(s.outage_group_size, 20);
  EXPECT_EQ(s.availability, AvailabilityPattern::Diurnal);
  EXPECT_EQ(s.diurnal_on_fraction, 0.4);
  EXPECT_EQ(s.deadline_seconds, 120.0);
  EXPECT_EQ(s.overcommit, 1.3);
  SCOPED_TRACE(to_yaml(c));
  // The resolved config reads back to the same scenario.
  const RunConfig again = load_config(to_yaml(c), "resolved.yaml");
  EXPECT_EQ(to_yaml(again), to_yaml(c));
  EXPECT_TRUE(load_config("scenario: { compute: { sample_seconds: auto } }", "s.yaml").scenario.measure_sample_cost);
  EXPECT_EQ(load_config("name: x", "s.yaml", {{"scenario.stragglers.fraction=0.1", "scenario.stragglers.slowdown=uniform(2,5)"}})
                .scenario.slowdown.b,
            5.0);
}

TEST(ScenarioConfig, BadInputNamesTheKey) {
  using V = std::vector<std::string>;
  EXPECT_EQ(scenario_problems("scenario: { dropouts: { probability: -0.1 } }"),
            V{"s.yaml:1:38: scenario.dropouts.probability: expected a number in [0, 1], found -0.1"});
  EXPECT_EQ(scenario_problems("scenario: { stragglers: { fraction: 1.5 } }"),
            V{"s.yaml:1:37: scenario.stragglers.fraction: expected a number in [0, 1], found 1.5"});
  EXPECT_EQ(scenario_problems("scenario: { deadline: { seconds: 0 } }"),
            V{"s.yaml:1:34: scenario.deadline.seconds: expected a number in (0, 1000000000], found 0"});
  EXPECT_EQ(scenario_problems("scenario: { compute: { speed: 'gaussian(1, 2)' } }"),
            V{"s.yaml:1:31: scenario.compute.speed: expected one of constant(value), uniform(low, high), "
              "lognormal(mu, sigma), pareto(shape, scale), found 'gaussian(1, 2)'"});
  EXPECT_EQ(scenario_problems("scenario: { dropouts: { at: 'lognormal(0, 1)' } }"),
            V{"s.yaml:1:29: scenario.dropouts.at: expected values in [0, 1], found lognormal(0, 1) (values from 0 "
              "to inf)"});
  EXPECT_EQ(scenario_problems("scenario: { straggler_policy: partial }"),
            V{"s.yaml:1:31: scenario.straggler_policy: partial keeps the work a client finished before the "
              "deadline: expected scenario.deadline.seconds (or deadline.relative) to be set, found no deadline"});
  EXPECT_EQ(scenario_problems("scenario: { availability: { pattern: trace } }"),
            V{"s.yaml:1:38: scenario.availability.pattern: expected scenario.availability.trace (a CSV file: "
              "client,start,end) for the trace pattern, found none"});
  EXPECT_EQ(scenario_problems("scenario: { stragglers: { mode: sometimes } }"),
            V{"s.yaml:1:33: scenario.stragglers.mode: expected one of round, client, found 'sometimes'"});
}

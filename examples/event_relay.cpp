// Go's `var ch chan T` handed to a goroutine before anyone made it: a relay
// thread that forwards events through a channel the caller creates only in
// one configuration. `tools/taskleak` analyses this file too.
#include <boost/fiber/buffered_channel.hpp>
#include <memory>
#include <string>
#include <thread>

struct Event {
  std::string name;
};
using EventChannel = boost::fibers::buffered_channel<Event>;

Event nextEvent();
void deliver(const Event &e);

// LEAK (taskleak-nil-channel): with `buffered == false` the channel is never
// made; the relay thread's push() goes through an empty shared_ptr, the
// C++ form of a send on a nil channel.
void startRelay(bool buffered) {
  std::shared_ptr<EventChannel> events;
  if (buffered)
    events = std::make_shared<EventChannel>(64);
  std::thread([events] {
    for (int i = 0; i < 16; ++i)
      events->push(nextEvent());
    events->close();
  }).detach();
}

// Fixed: the channel exists on every path before the relay starts, and a
// consumer drains it.
void startRelayFixed(bool buffered) {
  auto events = std::make_shared<EventChannel>(buffered ? 64 : 2);
  std::thread([events] {
    for (int i = 0; i < 16; ++i)
      events->push(nextEvent());
    events->close();
  }).detach();
  for (const Event &e : *events)
    deliver(e);
}

int main() {
  startRelay(true);
  startRelayFixed(false);
}

package io.pioreactor.worker.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pioreactor.protocol.MalformedMessageException;
import io.pioreactor.protocol.Membership;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MembershipStateTest {
  private final List<String> halts = new ArrayList<>();
  private final MembershipState state = new MembershipState(() -> halts.add("halt"), (a, b) -> {});

  private static Buffer m(boolean active, String exp) {
    return new Membership("w1", active, exp, null, "t").toBuffer();
  }

  @Test
  @DisplayName("turning inactive halts activities once; turning active again does not")
  void inactiveHalts() {
    state.apply("w1", m(true, "e1"));
    assertThat(halts).isEmpty();
    state.apply("w1", m(false, "e1"));
    assertThat(halts).hasSize(1);
    state.apply("w1", m(false, "e2"));
    assertThat(halts).hasSize(1);
    state.apply("w1", m(true, "e2"));
    assertThat(halts).hasSize(1);
    assertThat(state.isActive()).isTrue();
    assertThat(state.experiment()).isEqualTo("e2");
  }

  @Test
  @DisplayName("a worker that learns on (re)connect that it was set inactive halts first thing")
  void firstMessageInactive() {
    state.apply("w1", m(false, null));
    assertThat(halts).containsExactly("halt");
  }

  @Test
  @DisplayName("leaving the inventory (empty retained payload) halts activities")
  void removed() {
    state.apply("w1", m(true, null));
    state.apply("w1", Buffer.buffer());
    assertThat(halts).hasSize(1);
    assertThat(state.inInventory()).isFalse();
  }

  @Test
  @DisplayName("a retained 'removed' membership (in_inventory false) halts activities, first thing on a return too")
  void removedTombstone() {
    state.apply("w1", Membership.removed("w1", "t").toBuffer());
    assertThat(halts).containsExactly("halt");
    assertThat(state.inInventory()).isFalse();
    state.apply("w1", m(true, "e1"));
    assertThat(state.isActive()).isTrue();
  }

  @Test
  @DisplayName("malformed or foreign memberships are refused and change nothing")
  void malformed() {
    state.apply("w1", m(true, "e1"));
    assertThatThrownBy(() -> state.apply("w1", Buffer.buffer("{nope"))).isInstanceOf(MalformedMessageException.class);
    assertThatThrownBy(() -> state.apply("w1", new Membership("w2", false, null, null, "t").toBuffer()))
        .isInstanceOf(MalformedMessageException.class);
    assertThat(state.isActive()).isTrue();
    assertThat(halts).isEmpty();
  }
}

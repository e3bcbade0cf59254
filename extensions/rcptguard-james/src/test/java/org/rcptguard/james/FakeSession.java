package org.rcptguard.james;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.james.core.Username;
import org.apache.james.protocols.smtp.utils.BaseFakeSMTPSession;

/**
 * An SMTP session for unit tests of one hook: a client address, transaction and connection attachments, optional
 * login.
 */
class FakeSession extends BaseFakeSMTPSession {
    private final InetSocketAddress remoteAddress;
    private final Map<AttachmentKey<?>, Object> transaction = new HashMap<>();
    private final Map<AttachmentKey<?>, Object> connection = new HashMap<>();
    private Username username;

    FakeSession(String clientAddress) {
        this.remoteAddress = new InetSocketAddress(clientAddress, 40000);
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return remoteAddress;
    }

    @Override
    public String getSessionID() {
        return "test-session";
    }

    @Override
    public Username getUsername() {
        return username;
    }

    @Override
    public void setUsername(Username username) {
        this.username = username;
    }

    @Override
    public boolean isRelayingAllowed() {
        return false;
    }

    @Override
    public <T> Optional<T> setAttachment(AttachmentKey<T> key, T value, State state) {
        return key.convert(attachments(state).put(key, value));
    }

    @Override
    public <T> Optional<T> getAttachment(AttachmentKey<T> key, State state) {
        return key.convert(attachments(state).get(key));
    }

    private Map<AttachmentKey<?>, Object> attachments(State state) {
        return state == State.Connection ? connection : transaction;
    }

    /** What James does at RSET, HELO/EHLO and the end of DATA: the connection's attachments stay. */
    void endTransaction() {
        transaction.clear();
    }
}

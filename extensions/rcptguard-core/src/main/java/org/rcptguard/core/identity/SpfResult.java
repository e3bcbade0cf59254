package org.rcptguard.core.identity;

/** The results of an SPF check (RFC 7208, section 2.6). Only {@link #PASS} proves anything. */
public enum SpfResult {
    PASS, FAIL, SOFTFAIL, NEUTRAL, NONE, TEMPERROR, PERMERROR
}

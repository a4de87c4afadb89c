package io.cordon.common.rsa.codec;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.VisibilityChecker;

/**
 * What Jackson may see of a value class, fixed: a DTO's public instance fields (no getters, setters or
 * is-getters, no constructors but the no-arg one Jackson always uses); a record's component accessors
 * and canonical constructor. The {@code with*} methods return this unchanged: with annotations off
 * nothing legitimate asks for another policy, and Jackson's own {@code VisibilityChecker.Std} would lose
 * the record rule (it answers {@code withCreatorVisibility} for records with a plain {@code Std}).
 */
final class WireVisibility implements VisibilityChecker<WireVisibility> {

    static final WireVisibility INSTANCE = new WireVisibility();

    private WireVisibility() {
    }

    static boolean isRecordAccessor(Method m) {
        Class<?> owner = m.getDeclaringClass();
        if (!owner.isRecord() || m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())) {
            return false;
        }
        for (RecordComponent c : owner.getRecordComponents()) {
            if (c.getName().equals(m.getName())) {
                return true;
            }
        }
        return false;
    }

    static boolean isCanonicalConstructor(Member m) {
        if (!(m instanceof Constructor<?> c) || !c.getDeclaringClass().isRecord()) {
            return false;
        }
        Class<?>[] componentTypes = Arrays.stream(c.getDeclaringClass().getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
        return Arrays.equals(c.getParameterTypes(), componentTypes);
    }

    @Override
    public boolean isGetterVisible(Method m) {
        return isRecordAccessor(m);
    }

    @Override
    public boolean isGetterVisible(AnnotatedMethod m) {
        return isRecordAccessor(m.getAnnotated());
    }

    @Override
    public boolean isIsGetterVisible(Method m) {
        return false;
    }

    @Override
    public boolean isIsGetterVisible(AnnotatedMethod m) {
        return false;
    }

    @Override
    public boolean isSetterVisible(Method m) {
        return false;
    }

    @Override
    public boolean isSetterVisible(AnnotatedMethod m) {
        return false;
    }

    @Override
    public boolean isCreatorVisible(Member m) {
        return isCanonicalConstructor(m);
    }

    @Override
    public boolean isCreatorVisible(AnnotatedMember m) {
        return isCanonicalConstructor(m.getMember());
    }

    @Override
    public boolean isFieldVisible(Field f) {
        int mod = f.getModifiers();
        return Modifier.isPublic(mod) && !Modifier.isStatic(mod) && !Modifier.isTransient(mod) && !f.getDeclaringClass().isRecord();
    }

    @Override
    public boolean isFieldVisible(AnnotatedField f) {
        return isFieldVisible(f.getAnnotated());
    }

    @Override
    public WireVisibility with(JsonAutoDetect ann) {
        return this;
    }

    @Override
    public WireVisibility withOverrides(JsonAutoDetect.Value vis) {
        return this;
    }

    @Override
    public WireVisibility with(JsonAutoDetect.Visibility v) {
        return this;
    }

    @Override
    public WireVisibility withVisibility(PropertyAccessor method, JsonAutoDetect.Visibility v) {
        return this;
    }

    @Override
    public WireVisibility withGetterVisibility(JsonAutoDetect.Visibility v) {
        return this;
    }

    @Override
    public WireVisibility withIsGetterVisibility(JsonAutoDetect.Visibility v) {
        return this;
    }

    @Override
    public WireVisibility withSetterVisibility(JsonAutoDetect.Visibility v) {
        return this;
    }

    @Override
    public WireVisibility withCreatorVisibility(JsonAutoDetect.Visibility v) {
        return this;
    }

    @Override
    public WireVisibility withFieldVisibility(JsonAutoDetect.Visibility v) {
        return this;
    }

    @Override
    public String toString() {
        return "[Visibility: DTO public instance fields, record components]";
    }
}

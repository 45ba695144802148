// The AAR: the generated Kotlin (src/main/kotlin, from bindings/uniffi/generate.sh, never
// edited by hand) and libcareguard_uniffi.so per ABI in src/main/jniLibs (from
// build-android.sh). Not built on the project's CI machines: see docs/INTEGRATION-android.md.
plugins {
    id("com.android.library") version "8.7.3"
    id("org.jetbrains.kotlin.android") version "2.1.0"
}

android {
    namespace = "org.careguard"
    compileSdk = 35

    defaultConfig {
        minSdk = 24
        consumerProguardFiles("consumer-rules.pro")
    }

    sourceSets["main"].kotlin.srcDir("src/main/kotlin")
    sourceSets["main"].jniLibs.srcDir("src/main/jniLibs")

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    // The generated code calls the native library through JNA (the version the JVM
    // tests in scripts/ci.d/35-kotlin.sh run with is Debian's 5.13).
    implementation("net.java.dev.jna:jna:5.13.0@aar")
}

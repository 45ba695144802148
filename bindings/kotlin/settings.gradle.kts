// Android library module for careguard's generated Kotlin binding. Build the native
// libraries first (build-android.sh), then `gradle assembleRelease` for the AAR.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "careguard"
